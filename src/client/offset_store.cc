#include "client/offset_store.h"

#include "client/local_file_offset_store.h"
#include "client/remote_broker_offset_store.h"

namespace holdfast::client {

std::unique_ptr<OffsetStore> CreateOffsetStore(MessageModel model, BrokerOffsetApi* api,
                                               const std::string& client_id,
                                               const std::string& group) {
  if (model == MessageModel::kBroadcasting) {
    return std::make_unique<LocalFileOffsetStore>(DefaultLocalOffsetStoreDir(), client_id, group);
  }
  return std::make_unique<RemoteBrokerOffsetStore>(api, group);
}

}  // namespace holdfast::client
