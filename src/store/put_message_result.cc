#include "store/put_message_result.h"

namespace holdfast::store {

std::string_view PutMessageStatusName(PutMessageStatus status) {
  switch (status) {
    case PutMessageStatus::kPutOk:
      return "PUT_OK";
    case PutMessageStatus::kFlushDiskTimeout:
      return "FLUSH_DISK_TIMEOUT";
    case PutMessageStatus::kFlushSlaveTimeout:
      return "FLUSH_SLAVE_TIMEOUT";
    case PutMessageStatus::kSlaveNotAvailable:
      return "SLAVE_NOT_AVAILABLE";
    case PutMessageStatus::kServiceNotAvailable:
      return "SERVICE_NOT_AVAILABLE";
    case PutMessageStatus::kCreateMappedFileFailed:
      return "CREATE_MAPPED_FILE_FAILED";
    case PutMessageStatus::kMessageIllegal:
      return "MESSAGE_ILLEGAL";
    case PutMessageStatus::kPropertiesSizeExceeded:
      return "PROPERTIES_SIZE_EXCEEDED";
    case PutMessageStatus::kOsPageCacheBusy:
      return "OS_PAGE_CACHE_BUSY";
    case PutMessageStatus::kUnknownError:
      return "UNKNOWN_ERROR";
    case PutMessageStatus::kFlushDiskFailed:
      return "FLUSH_DISK_FAILED";
  }
  return "UNKNOWN_ERROR";
}

}  // namespace holdfast::store
