// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The owning receive batch: three allocations in make(), none after.
// Each message's buffer and control spans point into the blocks once and for
// all; read_batch sets every other field on each read.

#include <mcnet/core/receive_batch.hpp>

#include <algorithm>
#include <limits>
#include <new>
#include <system_error>
#include <utility>

namespace mcnet::core {

result<receive_batch> receive_batch::make(std::size_t count, std::size_t payload_size) noexcept {
  const auto number = static_cast<std::int64_t>(std::min<std::size_t>(count, INT64_MAX));
  if (count == 0) {
    return fail(error(std::make_error_code(std::errc::invalid_argument), "make", "receive_batch")
                    .with_number(number)
                    .with_hint("a batch needs room for at least one datagram"));
  }
  // Each array's size in bytes must fit in ptrdiff_t, or new[] throws
  // std::bad_array_new_length (nothrow or not) out of this noexcept call.
  constexpr auto limit = static_cast<std::size_t>(std::numeric_limits<std::ptrdiff_t>::max());
  if ((payload_size != 0 && count > limit / payload_size) || count > limit / sizeof(control_buffer) ||
      count > limit / sizeof(message)) {
    return fail(error(std::make_error_code(std::errc::value_too_large), "make", "receive_batch")
                    .with_number(number)
                    .with_hint("count * payload_size (or count control buffers of max_control_size bytes) "
                               "does not fit in memory"));
  }
  // Not zero-filled: a message exposes only the bytes the kernel wrote.
  std::unique_ptr<std::byte[]> payload(new (std::nothrow) std::byte[count * payload_size]);
  std::unique_ptr<control_buffer[]> control(new (std::nothrow) control_buffer[count]);
  std::unique_ptr<message[]> messages(new (std::nothrow) message[count]);
  if (!payload || !control || !messages) {
    return fail(error(std::make_error_code(std::errc::not_enough_memory), "make", "receive_batch")
                    .with_number(number)
                    .with_hint("the payload, control and message arrays could not be allocated"));
  }
  return receive_batch(count, payload_size, std::move(payload), std::move(control), std::move(messages));
}

receive_batch::receive_batch(std::size_t count, std::size_t payload_size, std::unique_ptr<std::byte[]> payload,
                             std::unique_ptr<control_buffer[]> control, std::unique_ptr<message[]> messages) noexcept
    : capacity_(count),
      payload_size_(payload_size),
      payload_(std::move(payload)),
      control_(std::move(control)),
      messages_(std::move(messages)) {
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
  if (capacity_ == 0) {
    // Answering 0 would turn `while (b.read(...))` into a spin.
    return fail(error(std::make_error_code(std::errc::invalid_argument), "read", "receive_batch")
                    .with_hint("the batch has no room (default-constructed or moved from): assign it the "
                               "result of receive_batch::make"));
  }
  auto n = read_batch(s, std::span<message>(messages_.get(), capacity_), decode, wait);
  if (n) count_ = *n;
  return n;
}

}  // namespace mcnet::core
