// RocketMQ's DataVersion: the version of a config table, bumped on every change so that the name
// server and slaves can tell whether their copy is stale. JSON: {"counter":3,"timestamp":1700...}.
// A plain value; the owning manager serialises access.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace holdfast::broker {

struct DataVersion {
  int64_t timestamp = 0;  // wall-clock ms of the last change (construction time initially)
  int64_t counter = 0;    // number of changes

  // A version stamped with the current time and counter 0.
  static DataVersion Now();

  // counter + 1, timestamp = now (RocketMQ nextVersion).
  void NextVersion();

  nlohmann::json ToJson() const;
  // Corruption when a field has the wrong type; missing fields keep their defaults.
  static Result<DataVersion> FromJson(const nlohmann::json& j);

  bool operator==(const DataVersion&) const = default;
};

}  // namespace holdfast::broker
