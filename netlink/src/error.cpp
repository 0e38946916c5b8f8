// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/netlink/error.hpp>

#include <netlink/errno.h>

#include <cstdlib>
#include <string>

namespace mcnet::netlink {
namespace {

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "libnl"; }
  std::string message(int value) const override { return nl_geterror(value); }
  std::error_condition default_error_condition(int value) const noexcept override {
    switch (value) {
      case NLE_SUCCESS: return {};
      case NLE_INTR: return std::errc::interrupted;
      case NLE_BAD_SOCK: return std::errc::bad_file_descriptor;
      case NLE_AGAIN: return std::errc::resource_unavailable_try_again;
      case NLE_NOMEM: return std::errc::not_enough_memory;
      case NLE_EXIST: return std::errc::file_exists;
      case NLE_INVAL: return std::errc::invalid_argument;
      case NLE_RANGE: return std::errc::result_out_of_range;
      case NLE_MSGSIZE: return std::errc::message_size;
      case NLE_OPNOTSUPP: return std::errc::operation_not_supported;
      case NLE_AF_NOSUPPORT: return std::errc::address_family_not_supported;
      case NLE_OBJ_NOTFOUND: return std::errc::no_such_file_or_directory;
      case NLE_NOATTR: return std::errc::no_message;
      case NLE_MISSING_ATTR: return std::errc::invalid_argument;
      case NLE_AF_MISMATCH: return std::errc::address_family_not_supported;
      case NLE_SEQ_MISMATCH: return std::errc::protocol_error;
      case NLE_MSG_OVERFLOW: return std::errc::value_too_large;
      case NLE_MSG_TRUNC: return std::errc::message_size;
      case NLE_NOADDR: return std::errc::address_not_available;
      case NLE_SRCRT_NOSUPPORT: return std::errc::operation_not_supported;
      case NLE_MSG_TOOSHORT: return std::errc::message_size;
      case NLE_MSGTYPE_NOSUPPORT: return std::errc::operation_not_supported;
      case NLE_OBJ_MISMATCH: return std::errc::invalid_argument;
      case NLE_NOCACHE: return std::errc::no_such_file_or_directory;
      case NLE_BUSY: return std::errc::device_or_resource_busy;
      case NLE_PROTO_MISMATCH: return std::errc::protocol_not_supported;
      case NLE_NOACCESS: return std::errc::permission_denied;
      case NLE_PERM: return std::errc::operation_not_permitted;
      case NLE_PKTLOC_FILE: return std::errc::no_such_file_or_directory;
      case NLE_PARSE_ERR: return std::errc::bad_message;
      case NLE_NODEV: return std::errc::no_such_device;
      case NLE_IMMUTABLE: return std::errc::operation_not_permitted;
      case NLE_DUMP_INTR: return std::errc::interrupted;
      case NLE_ATTRSIZE: return std::errc::message_size;
      default: return {value, *this};
    }
  }
};

}  // namespace

const std::error_category& libnl_category() noexcept {
  static const category instance;
  return instance;
}

std::error_code make_libnl_error(int nle) noexcept { return {std::abs(nle), libnl_category()}; }

}  // namespace mcnet::netlink
