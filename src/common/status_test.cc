#include "common/status.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <utility>

namespace holdfast {
namespace {

// The public header promises that nothing in Status or Result throws.
static_assert(noexcept(std::declval<Result<std::string>&>().value()));
static_assert(noexcept(std::declval<const Result<std::string>&>().value()));
static_assert(noexcept(std::declval<Result<std::string>&&>().value()));
static_assert(noexcept(*std::declval<Result<std::string>&>()));
static_assert(noexcept(std::declval<Result<std::string>&>()->size()));

TEST(ResultTest, HoldsAValueOrAnError) {
  Result<std::string> value = std::string("v");
  ASSERT_TRUE(value.ok());
  EXPECT_TRUE(value.status().ok());
  EXPECT_EQ(*value, "v");
  EXPECT_EQ(value->size(), 1u);
  EXPECT_EQ(std::move(value).value(), "v");

  Result<std::string> error = Status::NotFound("no such key k");
  ASSERT_FALSE(error.ok());
  EXPECT_TRUE(error.status().IsNotFound());
  EXPECT_EQ(error.status().ToString(), "NotFound: no such key k");
}

// Reading the value of an error is a bug in the caller: it must stop the process with the error in
// the message, not throw (an exception would escape code that was promised none).
TEST(ResultDeathTest, ValueOfAnErrorAbortsWithTheError) {
  Result<int> error = Status::Timeout("no answer from 127.0.0.1:10911");
  EXPECT_DEATH((void)error.value(),
               "Result::value\\(\\) on an error: Timeout: no answer from 127.0.0.1:10911");
  const Result<int>& const_error = error;
  EXPECT_DEATH((void)*const_error, "Result::value\\(\\) on an error: Timeout");
  Result<std::string> string_error = Status::Corruption("bad crc");
  EXPECT_DEATH((void)string_error->size(), "Result::value\\(\\) on an error: Corruption: bad crc");
  EXPECT_DEATH((void)std::move(string_error).value(), "on an error: Corruption: bad crc");
}

TEST(StatusTest, FromErrnoTellsAFullDiskFromOtherErrors) {
  EXPECT_TRUE(Status::FromErrno(ENOSPC, "write f").IsNoSpace());
  Status eio = Status::FromErrno(EIO, "write f");
  EXPECT_EQ(eio.code(), Status::Code::kIoError);
  EXPECT_EQ(eio.message().rfind("write f: ", 0), 0u) << eio.message();
}

}  // namespace
}  // namespace holdfast
