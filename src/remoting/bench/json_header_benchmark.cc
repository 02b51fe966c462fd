// Decoding RocketMQ JSON headers into a RemotingCommand: Holdfast's DecodeJsonHeader (the
// hand-written reader of json_header_reader.h) against the same work done with
// nlohmann::json::sax_parse (a SAX handler filling the command, no DOM), and, for scale, the
// nlohmann DOM (json::parse, then reading the keys) that DecodeJsonHeader replaced.
//
// The headers are what a Java 5.x client and broker send, byte for byte in fastjson's layout:
// a SEND_MESSAGE_V2 request, a PULL_MESSAGE request, a HEART_BEAT request (no extFields; its
// data is the body) and a SEND_MESSAGE response. The figures are in json_header_reader.cc.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "remoting/json_header.h"
#include "remoting/remoting_command.h"

namespace holdfast::remoting {
namespace {

const std::string kSendV2 =
    R"({"code":310,"extFields":{"a":"please_rename_unique_group_name","b":"TopicTest",)"
    R"("c":"TBW102","d":"4","e":"2","f":"0","g":"1733580000123","h":"0",)"
    R"("i":"TAGS\u0001TagA\u0002KEYS\u0001OrderID188\u0002UNIQ_KEY\u0001)"
    R"(7F000001B4A418B4AAC2754D6FAB0000\u0002WAIT\u0001true\u0002",)"
    R"("j":"0","k":"false","m":"false","n":"broker-a"},"flag":0,"language":"JAVA",)"
    R"("opaque":1187,"serializeTypeCurrentRPC":"JSON","version":479})";

const std::string kPull =
    R"({"code":11,"extFields":{"commitOffset":"0","consumerGroup":"please_rename_unique_group_name_4",)"
    R"("expressionType":"TAG","maxMsgBytes":"2147483647","maxMsgNums":"32","queueId":"3",)"
    R"("queueOffset":"1024","subVersion":"1733580001200","subscription":"TagA || TagC || TagD",)"
    R"("suspendTimeoutMillis":"20000","sysFlag":"3","topic":"TopicTest"},"flag":0,)"
    R"("language":"JAVA","opaque":2210,"serializeTypeCurrentRPC":"JSON","version":479})";

const std::string kHeartbeat =
    R"({"code":34,"flag":0,"language":"JAVA","opaque":2211,"serializeTypeCurrentRPC":"JSON",)"
    R"("version":479})";

const std::string kSendResponse =
    R"({"code":0,"extFields":{"MSG_REGION":"DefaultRegion","TRACE_ON":"true",)"
    R"("msgId":"7F00000100002A9F0000000000A41B2C","queueId":"2","queueOffset":"5061",)"
    R"("transactionId":"7F000001B4A418B4AAC2754D6FAB0000"},"flag":1,"language":"JAVA",)"
    R"("opaque":1187,"serializeTypeCurrentRPC":"JSON","version":479})";

// The keys DecodeJsonHeader reads, taken with nlohmann's SAX interface. Error handling is only
// what the comparison needs: the headers here are well-formed.
class CommandSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit CommandSax(RemotingCommand* command) : command_(command) {}

  bool null() override { return true; }
  bool boolean(bool value) override {
    if (InExtFields()) command_->SetExtField(key_, value ? "true" : "false");
    return true;
  }
  bool number_integer(number_integer_t value) override { return Integer(value); }
  bool number_unsigned(number_unsigned_t value) override {
    return Integer(static_cast<int64_t>(value));
  }
  bool number_float(number_float_t, const string_t& text) override {
    if (InExtFields()) command_->SetExtField(key_, text);
    return true;
  }
  bool string(string_t& value) override {
    if (InExtFields()) {
      command_->SetExtField(key_, std::move(value));
    } else if (depth_ == 1 && key_ == "language") {
      command_->language = LanguageCodeFromName(value).value_or(LanguageCode::kOther);
    } else if (depth_ == 1 && key_ == "remark") {
      command_->remark = std::move(value);
    }
    return true;
  }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    if (depth_ == 1 && key_ == "extFields") in_ext_ = true;
    ++depth_;
    return true;
  }
  bool key(string_t& value) override {
    key_ = std::move(value);
    return true;
  }
  bool end_object() override {
    --depth_;
    if (depth_ == 1) in_ext_ = false;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool InExtFields() const { return in_ext_ && depth_ == 2; }
  bool Integer(int64_t value) {
    if (InExtFields()) {
      command_->SetExtField(key_, std::to_string(value));
    } else if (depth_ == 1) {
      if (key_ == "code") command_->code = static_cast<int32_t>(value);
      if (key_ == "opaque") command_->opaque = static_cast<int32_t>(value);
      if (key_ == "version") command_->version = static_cast<int32_t>(value);
      if (key_ == "flag") command_->flag = static_cast<int32_t>(value);
    }
    return true;
  }

  RemotingCommand* command_;
  std::string key_;
  int depth_ = 0;
  bool in_ext_ = false;
};

RemotingCommand SaxDecode(std::string_view header) {
  RemotingCommand command;
  CommandSax sax(&command);
  nlohmann::json::sax_parse(header, &sax, nlohmann::json::input_format_t::json, true);
  return command;
}

RemotingCommand DomDecode(std::string_view header) {
  RemotingCommand command;
  nlohmann::json j = nlohmann::json::parse(header, nullptr, false);
  command.code = j.at("code").get<int32_t>();
  command.opaque = j.at("opaque").get<int32_t>();
  command.version = j.value("version", 0);
  command.flag = j.value("flag", 0);
  command.language =
      LanguageCodeFromName(j.value("language", "JAVA")).value_or(LanguageCode::kOther);
  if (auto remark = j.find("remark"); remark != j.end() && remark->is_string()) {
    command.remark = remark->get<std::string>();
  }
  if (auto ext = j.find("extFields"); ext != j.end()) {
    for (auto& [key, value] : ext->items()) {
      command.SetExtField(key, value.is_string() ? value.get<std::string>() : value.dump());
    }
  }
  return command;
}

const std::string& HeaderFor(int64_t index) {
  static const std::string* const kHeaders[] = {&kSendV2, &kPull, &kHeartbeat, &kSendResponse};
  return *kHeaders[index];
}

// All three decoders must agree on every header, or the comparison means nothing.
bool SameResults() {
  for (int64_t i = 0; i < 4; ++i) {
    Result<RemotingCommand> ours = DecodeJsonHeader(HeaderFor(i));
    if (!ours.ok() || *ours != SaxDecode(HeaderFor(i)) || *ours != DomDecode(HeaderFor(i))) {
      return false;
    }
  }
  return true;
}

void SetLabel(benchmark::State& state) {
  static const char* const kNames[] = {"send_v2_request", "pull_request", "heartbeat_request",
                                       "send_response"};
  state.SetLabel(kNames[state.range(0)]);
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(HeaderFor(state.range(0)).size()));
}

void BM_HandWritten(benchmark::State& state) {
  const std::string& header = HeaderFor(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(DecodeJsonHeader(header));
  SetLabel(state);
}

void BM_NlohmannSax(benchmark::State& state) {
  const std::string& header = HeaderFor(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(SaxDecode(header));
  SetLabel(state);
}

void BM_NlohmannDom(benchmark::State& state) {
  const std::string& header = HeaderFor(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(DomDecode(header));
  SetLabel(state);
}

BENCHMARK(BM_HandWritten)->DenseRange(0, 3);
BENCHMARK(BM_NlohmannSax)->DenseRange(0, 3);
BENCHMARK(BM_NlohmannDom)->DenseRange(0, 3);

}  // namespace
}  // namespace holdfast::remoting

int main(int argc, char** argv) {
  if (!holdfast::remoting::SameResults()) {
    fprintf(stderr, "the decoders disagree on a header; the figures would mean nothing\n");
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
