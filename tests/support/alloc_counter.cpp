// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "alloc_counter.hpp"

#include <cstdlib>
#include <new>

namespace mcnet::test {
namespace {
thread_local std::size_t allocations = 0;

void* counted(std::size_t size, std::size_t alignment) {
  ++allocations;
  if (size == 0) size = 1;
  void* p = alignment > alignof(std::max_align_t) ? std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment)
                                                  : std::malloc(size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
}  // namespace

std::size_t allocations_on_this_thread() noexcept { return allocations; }
}  // namespace mcnet::test

// Replacements of the global operators. Memory still comes from malloc, so
// AddressSanitizer keeps checking every block.
void* operator new(std::size_t size) { return mcnet::test::counted(size, 0); }
void* operator new[](std::size_t size) { return mcnet::test::counted(size, 0); }
void* operator new(std::size_t size, std::align_val_t a) { return mcnet::test::counted(size, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t size, std::align_val_t a) { return mcnet::test::counted(size, static_cast<std::size_t>(a)); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try { return mcnet::test::counted(size, 0); } catch (...) { return nullptr; }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try { return mcnet::test::counted(size, 0); } catch (...) { return nullptr; }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
