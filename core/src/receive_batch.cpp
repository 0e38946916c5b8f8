// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The owning receive batch: three allocations in the constructor, none after.
// Each message's buffer and control spans point into the blocks once and for
// all; read_batch sets every other field on each read.

#include <mcnet/core/receive_batch.hpp>

#include <limits>
#include <stdexcept>
#include <utility>

namespace mcnet::core {

receive_batch::receive_batch(std::size_t count, std::size_t payload_size)
    : capacity_(count), payload_size_(payload_size) {
  if (count == 0) throw std::invalid_argument("receive_batch: room for no datagram");
  if (payload_size != 0 && count > std::numeric_limits<std::size_t>::max() / payload_size) {
    throw std::length_error("receive_batch: count * payload_size overflows");
  }
  // Not zero-filled: a message exposes only the bytes the kernel wrote.
  payload_ = std::make_unique_for_overwrite<std::byte[]>(count * payload_size);
  control_ = std::make_unique<control_buffer[]>(count);
  messages_ = std::make_unique<message[]>(count);
  for (std::size_t i = 0; i < count; ++i) {
    messages_[i].buffer = std::span<std::byte>(payload_.get() + i * payload_size, payload_size);
    messages_[i].control = control_[i].span();
  }
}

receive_batch::receive_batch(receive_batch&& other) noexcept
    : capacity_(std::exchange(other.capacity_, 0)),
      payload_size_(std::exchange(other.payload_size_, 0)),
      count_(std::exchange(other.count_, 0)),
      payload_(std::move(other.payload_)),
      control_(std::move(other.control_)),
      messages_(std::move(other.messages_)) {}

receive_batch& receive_batch::operator=(receive_batch&& other) noexcept {
  if (this != &other) {
    capacity_ = std::exchange(other.capacity_, 0);
    payload_size_ = std::exchange(other.payload_size_, 0);
    count_ = std::exchange(other.count_, 0);
    payload_ = std::move(other.payload_);
    control_ = std::move(other.control_);
    messages_ = std::move(other.messages_);
  }
  return *this;
}

result<std::size_t> receive_batch::read(socket_ref s, cmsg decode, wait_policy wait) noexcept {
  count_ = 0;
  auto n = read_batch(s, std::span<message>(messages_.get(), capacity_), decode, wait);
  if (n) count_ = *n;
  return n;
}

}  // namespace mcnet::core
