#include "tools/bench/forked_child.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>

#include "common/subprocess.h"

namespace holdfast::tools {

namespace {

// A measurement may take minutes (filling a store of 10,000 queues on a slow disk); a child that
// answers nothing for this long is taken as stuck.
constexpr std::chrono::minutes kAnswerTimeout{30};

bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

// The child's answer on its stdout: a line "o <length>" (ok) or "e <length>" (error), then that
// many bytes, the value or the error message.
Result<std::string> RunInForkedChild(const std::function<Result<std::string>()>& body) {
  auto child = Subprocess::Fork([&body] {
    Result<std::string> answer = body();
    const std::string payload = answer.ok() ? *answer : answer.status().ToString();
    const std::string head =
        std::string(answer.ok() ? "o " : "e ") + std::to_string(payload.size()) + "\n";
    return WriteAll(STDOUT_FILENO, head) && WriteAll(STDOUT_FILENO, payload) ? 0 : 1;
  });
  if (!child.ok()) return child.status();
  Subprocess& process = **child;
  std::optional<std::string> head = process.ReadLine(kAnswerTimeout);
  size_t length = 0;
  std::optional<std::string> payload;
  if (head && head->size() > 2) {
    const char* digits = head->data() + 2;
    const auto parsed = std::from_chars(digits, head->data() + head->size(), length);
    if (parsed.ec == std::errc()) payload = process.ReadBytes(length, kAnswerTimeout);
  }
  // The child exits once it has written its answer.
  std::optional<int> ended = process.WaitFor(std::chrono::seconds(30));
  if (!ended) process.Kill(SIGKILL);
  const int status = ended ? *ended : process.Wait();
  if (!payload) {
    return Status::IoError("the child ended without answering: " + DescribeExitStatus(status));
  }
  if ((*head)[0] == 'e') return Status::IoError("in the child: " + *payload);
  if (status != 0) return Status::IoError("the child answered, then " + DescribeExitStatus(status));
  return *payload;
}

}  // namespace holdfast::tools
