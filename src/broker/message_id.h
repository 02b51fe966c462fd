// The broker uses the message ids of common/message_id.h; these names keep its callers unchanged.
#pragma once

#include "common/message_id.h"

namespace holdfast::broker {

using holdfast::CreateOffsetMsgId;
using holdfast::CreateUniqId;
using holdfast::DecodeOffsetMsgId;
using holdfast::OffsetMsgId;
using holdfast::ParseIpv4Address;

}  // namespace holdfast::broker
