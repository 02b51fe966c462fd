// RocketMQ's DataVersion: the version of a config table (topics, subscription groups), bumped on
// every change so that a name server or a slave can tell whether its copy is stale. Inside
// TopicConfigSerializeWrapper, RegisterBrokerBody, QUERY_DATA_VERSION's body and
// GET_BROKER_CONFIG's `version` field: {"counter":3,"stateVersion":0,"timestamp":1700000000000}.
//
// A plain value; the owning manager serialises access.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace holdfast::protocol {

struct DataVersion {
  int64_t counter = 0;        // number of changes
  int64_t state_version = 0;  // stateVersion (5.x controller mode; 0 otherwise)
  int64_t timestamp = 0;      // wall-clock ms of the last change

  // A version stamped with the current time and counter 0.
  static DataVersion Now();
  // counter + 1, timestamp = now (RocketMQ nextVersion).
  void NextVersion();

  nlohmann::json ToJson() const;
  // Missing fields keep their defaults; numbers may be numeric strings. Corruption naming the
  // field when one has the wrong type.
  static Result<DataVersion> FromJson(const nlohmann::json& j);

  bool operator==(const DataVersion&) const = default;
};

// The JSON text of a DataVersion (QUERY_DATA_VERSION's body), and its decoder.
std::string EncodeDataVersion(const DataVersion& version);
Result<DataVersion> DecodeDataVersion(std::string_view body);

}  // namespace holdfast::protocol
