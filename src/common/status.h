// Status and Result<T> are part of the client library's public API; see holdfast/status.h.
#pragma once

#include "holdfast/status.h"
