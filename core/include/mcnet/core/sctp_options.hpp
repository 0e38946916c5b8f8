// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// SCTP (RFC 9260) sockets and their common options at level IPPROTO_SCTP
/// (SOL_SCTP), one descriptor per option (`core::opt::sctp_*`, listed in
/// `opt::sctp_table`), written against the kernel's own <linux/sctp.h>
/// (linux-libc-dev) so that nothing beyond the C library and kernel headers
/// is needed: no libsctp. Opening a socket on a kernel without SCTP is the
/// kernel's EPROTONOSUPPORT with a hint. The structures are RFC 6458's
/// (sockets API extensions for SCTP); sctp(7).
///
/// Every option here is set for the socket's future associations
/// (`SCTP_FUTURE_ASSOC`, assoc id 0), which on a one-to-one socket is its
/// one association.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <netinet/in.h>
#include <stdint.h>  // NOLINT(modernize-deprecated-headers): <linux/sctp.h> uses the global uint16_t
#include <sys/socket.h>
// After the C library's headers: it uses their sockaddr_storage, MSG_FIN and uint*_t.
#include <linux/sctp.h>

#include <chrono>
#include <climits>
#include <cstdint>
#include <initializer_list>
#include <tuple>

#include <mcnet/core/codecs.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/sockopt.hpp>

namespace mcnet::core {

/// The two SCTP socket styles of RFC 6458.
enum class sctp_style : std::uint8_t {
  one_to_one,   ///< SOCK_STREAM: one association per socket, TCP-like (RFC 6458 4)
  one_to_many,  ///< SOCK_SEQPACKET: many associations on one socket, UDP-like (RFC 6458 3)
};

/// Open an SCTP socket of `family` (AF_INET or AF_INET6) and `style`
/// (always SOCK_CLOEXEC). Errors: errc::family_mismatch for another family
/// (before the call); when the kernel has no SCTP, its errno
/// (EPROTONOSUPPORT for one-to-one, ESOCKTNOSUPPORT for one-to-many) with a
/// hint naming the sctp module; socket(2)'s other errnos. sctp(7).
[[nodiscard]] result<socket> open_sctp(int family, sctp_style style) noexcept;

/// `struct sctp_initmsg`: what an INIT asks for (SCTP_INITMSG). Zero
/// fields keep the kernel's defaults. RFC 6458 8.1.3.
struct sctp_init_parameters {
  std::uint16_t output_streams = 0;      ///< sinit_num_ostreams: outbound streams requested
  std::uint16_t max_input_streams = 0;   ///< sinit_max_instreams: inbound streams accepted at most
  std::uint16_t max_attempts = 0;        ///< sinit_max_attempts: INIT retransmissions
  std::chrono::milliseconds max_init_timeout{0};  ///< sinit_max_init_timeo: INIT timer ceiling, 0 to 65535 ms

  /// Equal when every field is.
  friend constexpr bool operator==(const sctp_init_parameters&, const sctp_init_parameters&) noexcept = default;
};
/// Codec of `struct sctp_initmsg` (SCTP_INITMSG).
struct sctp_init_parameters_codec {
  using value_type = sctp_init_parameters;  ///< core::sctp_init_parameters
  using storage_type = ::sctp_initmsg;      ///< struct sctp_initmsg (linux/sctp.h)
  /// Fill the struct; returns its size. Errors: errc::value_out_of_range (with the milliseconds
  /// as its number) for a timeout outside 0 to 65535 ms.
  [[nodiscard]] static result<socklen_t> encode(const sctp_init_parameters& v, ::sctp_initmsg& s) noexcept {
    const auto ms = v.max_init_timeout.count();
    if (ms < 0 || ms > UINT16_MAX) {
      return fail(error(errc::value_out_of_range, "", "")
                      .with_number(static_cast<std::int64_t>(ms))
                      .with_hint("sinit_max_init_timeo is 0 to 65535 ms"));
    }
    s.sinit_num_ostreams = v.output_streams;
    s.sinit_max_instreams = v.max_input_streams;
    s.sinit_max_attempts = v.max_attempts;
    s.sinit_max_init_timeo = static_cast<std::uint16_t>(ms);
    return socklen_t{sizeof(::sctp_initmsg)};
  }
  /// The parameters. Errors: errc::unexpected_option_size unless `n` is sizeof(sctp_initmsg).
  [[nodiscard]] static result<sctp_init_parameters> decode(const ::sctp_initmsg& s, socklen_t n) noexcept {
    if (n != sizeof(::sctp_initmsg)) return fail(detail::bad_size(n));
    return sctp_init_parameters{s.sinit_num_ostreams, s.sinit_max_instreams, s.sinit_max_attempts,
                                std::chrono::milliseconds(s.sinit_max_init_timeo)};
  }
};

/// `struct sctp_rtoinfo`: the retransmission timeout's initial value and
/// bounds (SCTP_RTOINFO), milliseconds; 0 keeps the current value.
/// RFC 6458 8.1.1.
struct sctp_rto {
  std::chrono::milliseconds initial{0};  ///< srto_initial (RFC 9260: 1 s by default)
  std::chrono::milliseconds max{0};      ///< srto_max (60 s)
  std::chrono::milliseconds min{0};      ///< srto_min (1 s)

  /// Equal when every field is.
  friend constexpr bool operator==(const sctp_rto&, const sctp_rto&) noexcept = default;
};
/// Codec of `struct sctp_rtoinfo` (SCTP_RTOINFO), for the socket's future associations.
struct sctp_rto_codec {
  using value_type = sctp_rto;          ///< core::sctp_rto
  using storage_type = ::sctp_rtoinfo;  ///< struct sctp_rtoinfo (linux/sctp.h)
  /// Fill the struct (assoc id SCTP_FUTURE_ASSOC); returns its size.
  /// Errors: errc::value_out_of_range (with the milliseconds as its number) for a time outside
  /// 0 to 4294967295 ms.
  [[nodiscard]] static result<socklen_t> encode(const sctp_rto& v, ::sctp_rtoinfo& s) noexcept {
    for (auto t : {v.initial, v.max, v.min}) {
      if (t.count() < 0 || t.count() > UINT32_MAX) {
        return fail(error(errc::value_out_of_range, "", "")
                        .with_number(static_cast<std::int64_t>(t.count()))
                        .with_hint("an SCTP RTO is 0 to 4294967295 ms"));
      }
    }
    s.srto_assoc_id = SCTP_FUTURE_ASSOC;
    s.srto_initial = static_cast<std::uint32_t>(v.initial.count());
    s.srto_max = static_cast<std::uint32_t>(v.max.count());
    s.srto_min = static_cast<std::uint32_t>(v.min.count());
    return socklen_t{sizeof(::sctp_rtoinfo)};
  }
  /// The three times. Errors: errc::unexpected_option_size unless `n` is sizeof(sctp_rtoinfo).
  [[nodiscard]] static result<sctp_rto> decode(const ::sctp_rtoinfo& s, socklen_t n) noexcept {
    if (n != sizeof(::sctp_rtoinfo)) return fail(detail::bad_size(n));
    return sctp_rto{std::chrono::milliseconds(s.srto_initial), std::chrono::milliseconds(s.srto_max),
                    std::chrono::milliseconds(s.srto_min)};
  }
};

/// Codec of `struct sctp_assoc_value` for the socket's future associations
/// (SCTP_MAXSEG): a 32-bit value.
struct sctp_assoc_value_codec {
  using value_type = std::uint32_t;         ///< assoc_value
  using storage_type = ::sctp_assoc_value;  ///< struct sctp_assoc_value (linux/sctp.h)
  /// Fill the struct (assoc id SCTP_FUTURE_ASSOC); returns its size. Never fails.
  [[nodiscard]] static result<socklen_t> encode(const std::uint32_t& v, ::sctp_assoc_value& s) noexcept {
    s.assoc_id = SCTP_FUTURE_ASSOC;
    s.assoc_value = v;
    return socklen_t{sizeof(::sctp_assoc_value)};
  }
  /// The value. Errors: errc::unexpected_option_size unless `n` is sizeof(sctp_assoc_value).
  [[nodiscard]] static result<std::uint32_t> decode(const ::sctp_assoc_value& s, socklen_t n) noexcept {
    if (n != sizeof(::sctp_assoc_value)) return fail(detail::bad_size(n));
    return s.assoc_value;
  }
};

/// `struct sctp_sndinfo`: what a send without its own SCTP_SNDINFO uses
/// (SCTP_DEFAULT_SNDINFO). RFC 6458 8.1.31.
struct sctp_send_info {
  std::uint16_t stream = 0;   ///< snd_sid: the stream
  std::uint16_t flags = 0;    ///< snd_flags: SCTP_UNORDERED, SCTP_ADDR_OVER, SCTP_ABORT, SCTP_EOF, SCTP_SENDALL
  std::uint32_t ppid = 0;     ///< snd_ppid: payload protocol id, opaque to SCTP: passed as given (byte order is the caller's)
  std::uint32_t context = 0;  ///< snd_context: returned with a send failure notification

  /// Equal when every field is.
  friend constexpr bool operator==(const sctp_send_info&, const sctp_send_info&) noexcept = default;
};
/// Codec of `struct sctp_sndinfo` (SCTP_DEFAULT_SNDINFO), for the socket's future associations.
struct sctp_send_info_codec {
  using value_type = sctp_send_info;    ///< core::sctp_send_info
  using storage_type = ::sctp_sndinfo;  ///< struct sctp_sndinfo (linux/sctp.h)
  /// Fill the struct (assoc id SCTP_FUTURE_ASSOC); returns its size. Never fails.
  [[nodiscard]] static result<socklen_t> encode(const sctp_send_info& v, ::sctp_sndinfo& s) noexcept {
    s.snd_sid = v.stream;
    s.snd_flags = v.flags;
    s.snd_ppid = v.ppid;
    s.snd_context = v.context;
    s.snd_assoc_id = SCTP_FUTURE_ASSOC;
    return socklen_t{sizeof(::sctp_sndinfo)};
  }
  /// The defaults. Errors: errc::unexpected_option_size unless `n` is sizeof(sctp_sndinfo).
  [[nodiscard]] static result<sctp_send_info> decode(const ::sctp_sndinfo& s, socklen_t n) noexcept {
    if (n != sizeof(::sctp_sndinfo)) return fail(detail::bad_size(n));
    return sctp_send_info{s.snd_sid, s.snd_flags, s.snd_ppid, s.snd_context};
  }
};

/// `struct sctp_event_subscribe`: which notifications and ancillary data a
/// socket receives (SCTP_EVENTS), all at once. RFC 6458 6.2.1 (deprecated
/// there in favour of SCTP_EVENT, one event at a time; Linux keeps both).
struct sctp_event_mask {
  bool data_io = false;             ///< sctp_data_io_event: SCTP_SNDRCV ancillary data on reads
  bool association = false;         ///< sctp_association_event: SCTP_ASSOC_CHANGE
  bool address = false;             ///< sctp_address_event: SCTP_PEER_ADDR_CHANGE
  bool send_failure = false;        ///< sctp_send_failure_event: SCTP_SEND_FAILED
  bool peer_error = false;          ///< sctp_peer_error_event: SCTP_REMOTE_ERROR
  bool shutdown = false;            ///< sctp_shutdown_event: SCTP_SHUTDOWN_EVENT
  bool partial_delivery = false;    ///< sctp_partial_delivery_event: SCTP_PARTIAL_DELIVERY_EVENT
  bool adaptation_layer = false;    ///< sctp_adaptation_layer_event: SCTP_ADAPTATION_INDICATION
  bool authentication = false;      ///< sctp_authentication_event: SCTP_AUTHENTICATION_EVENT
  bool sender_dry = false;          ///< sctp_sender_dry_event: SCTP_SENDER_DRY_EVENT
  bool stream_reset = false;        ///< sctp_stream_reset_event: SCTP_STREAM_RESET_EVENT
  bool association_reset = false;   ///< sctp_assoc_reset_event: SCTP_ASSOC_RESET_EVENT
  bool stream_change = false;       ///< sctp_stream_change_event: SCTP_STREAM_CHANGE_EVENT
  bool send_failed_event = false;   ///< sctp_send_failure_event_event: SCTP_SEND_FAILED_EVENT

  /// Equal when every switch is.
  friend constexpr bool operator==(const sctp_event_mask&, const sctp_event_mask&) noexcept = default;
};
/// Codec of `struct sctp_event_subscribe` (SCTP_EVENTS): one byte per event.
/// A kernel whose struct is shorter answers with fewer bytes; the events it
/// lacks read as off.
struct sctp_event_mask_codec {
  using value_type = sctp_event_mask;           ///< core::sctp_event_mask
  using storage_type = ::sctp_event_subscribe;  ///< struct sctp_event_subscribe (linux/sctp.h)
  /// One byte per switch; returns sizeof(sctp_event_subscribe) (a kernel with a shorter struct
  /// refuses it: EINVAL). Never fails.
  [[nodiscard]] static result<socklen_t> encode(const sctp_event_mask& v, ::sctp_event_subscribe& s) noexcept {
    s.sctp_data_io_event = v.data_io;
    s.sctp_association_event = v.association;
    s.sctp_address_event = v.address;
    s.sctp_send_failure_event = v.send_failure;
    s.sctp_peer_error_event = v.peer_error;
    s.sctp_shutdown_event = v.shutdown;
    s.sctp_partial_delivery_event = v.partial_delivery;
    s.sctp_adaptation_layer_event = v.adaptation_layer;
    s.sctp_authentication_event = v.authentication;
    s.sctp_sender_dry_event = v.sender_dry;
    s.sctp_stream_reset_event = v.stream_reset;
    s.sctp_assoc_reset_event = v.association_reset;
    s.sctp_stream_change_event = v.stream_change;
    s.sctp_send_failure_event_event = v.send_failed_event;
    return socklen_t{sizeof(::sctp_event_subscribe)};
  }
  /// The switches. Errors: errc::unexpected_option_size for 0 bytes or more than
  /// sizeof(sctp_event_subscribe).
  [[nodiscard]] static result<sctp_event_mask> decode(const ::sctp_event_subscribe& s, socklen_t n) noexcept {
    if (n == 0 || n > sizeof(::sctp_event_subscribe)) return fail(detail::bad_size(n));
    // The storage was zeroed before the call: bytes the kernel did not write read as off.
    return sctp_event_mask{s.sctp_data_io_event != 0,         s.sctp_association_event != 0,
                           s.sctp_address_event != 0,         s.sctp_send_failure_event != 0,
                           s.sctp_peer_error_event != 0,      s.sctp_shutdown_event != 0,
                           s.sctp_partial_delivery_event != 0, s.sctp_adaptation_layer_event != 0,
                           s.sctp_authentication_event != 0,  s.sctp_sender_dry_event != 0,
                           s.sctp_stream_reset_event != 0,    s.sctp_assoc_reset_event != 0,
                           s.sctp_stream_change_event != 0,   s.sctp_send_failure_event_event != 0};
  }
};

/// One notification switched on or off (SCTP_EVENT). RFC 6458 6.2.2.
struct sctp_event_switch {
  std::uint16_t type = SCTP_ASSOC_CHANGE;  ///< se_type: SCTP_ASSOC_CHANGE .. SCTP_SN_TYPE_MAX (enum sctp_sn_type)
  bool on = false;                         ///< se_on

  /// Equal when both fields are.
  friend constexpr bool operator==(const sctp_event_switch&, const sctp_event_switch&) noexcept = default;
};
/// Codec of `struct sctp_event` (SCTP_EVENT), for the socket's future associations; write only.
struct sctp_event_switch_codec {
  using value_type = sctp_event_switch;  ///< core::sctp_event_switch
  using storage_type = ::sctp_event;     ///< struct sctp_event (linux/sctp.h)
  /// Fill the struct; returns its size. Errors: errc::value_out_of_range (with the type as its
  /// number) for a type below SCTP_SN_TYPE_BASE, which is no notification.
  [[nodiscard]] static result<socklen_t> encode(const sctp_event_switch& v, ::sctp_event& s) noexcept {
    if (v.type < SCTP_SN_TYPE_BASE) {
      return fail(error(errc::value_out_of_range, "", "")
                      .with_number(v.type)
                      .with_hint("an SCTP notification type is one of enum sctp_sn_type (from 0x8000)"));
    }
    s.se_assoc_id = SCTP_FUTURE_ASSOC;
    s.se_type = v.type;
    s.se_on = v.on ? 1 : 0;
    return socklen_t{sizeof(::sctp_event)};
  }
  /// The switch. Errors: errc::unexpected_option_size unless `n` is sizeof(sctp_event).
  [[nodiscard]] static result<sctp_event_switch> decode(const ::sctp_event& s, socklen_t n) noexcept {
    if (n != sizeof(::sctp_event)) return fail(detail::bad_size(n));
    return sctp_event_switch{s.se_type, s.se_on != 0};
  }
};

namespace opt {

/// `SCTP_NODELAY`: send at once instead of bundling small messages
/// (Nagle-like delay off). RFC 6458 8.1.5.
inline constexpr sockopt<bool_codec> sctp_no_delay{IPPROTO_SCTP, SCTP_NODELAY, "SCTP_NODELAY"};
/// `SCTP_INITMSG`: streams and INIT retransmissions of new associations
/// (`core::sctp_init_parameters`). RFC 6458 8.1.3.
inline constexpr sockopt<sctp_init_parameters_codec> sctp_init_message{IPPROTO_SCTP, SCTP_INITMSG, "SCTP_INITMSG"};
/// `SCTP_RTOINFO`: the retransmission timeout's initial value and bounds,
/// milliseconds (`core::sctp_rto`); the kernel refuses min > max or an
/// initial value outside them (EINVAL). RFC 6458 8.1.1.
inline constexpr sockopt<sctp_rto_codec> sctp_rto_info{IPPROTO_SCTP, SCTP_RTOINFO, "SCTP_RTOINFO"};
/// `SCTP_MAXSEG`: the largest DATA chunk payload before fragmentation,
/// bytes (0: from the path MTU). RFC 6458 8.1.16.
inline constexpr sockopt<sctp_assoc_value_codec> sctp_max_segment{IPPROTO_SCTP, SCTP_MAXSEG, "SCTP_MAXSEG"};
/// `SCTP_AUTOCLOSE`: close an association idle this many seconds (0: never);
/// one-to-many sockets only (EOPNOTSUPP on one-to-one). The kernel caps it
/// at net.sctp.max_autoclose. RFC 6458 8.1.8.
inline constexpr sockopt<duration_codec<std::chrono::seconds, 0, INT_MAX>> sctp_autoclose{IPPROTO_SCTP, SCTP_AUTOCLOSE,
                                                                                          "SCTP_AUTOCLOSE"};
/// `SCTP_DISABLE_FRAGMENTS`: refuse messages larger than one chunk
/// (EMSGSIZE) instead of fragmenting them. RFC 6458 8.1.15.
inline constexpr sockopt<bool_codec> sctp_disable_fragments{IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS,
                                                            "SCTP_DISABLE_FRAGMENTS"};
/// `SCTP_DEFAULT_SNDINFO`: stream, flags, ppid and context of sends that
/// carry none (`core::sctp_send_info`; the successor of
/// SCTP_DEFAULT_SEND_PARAM). RFC 6458 8.1.31.
inline constexpr sockopt<sctp_send_info_codec> sctp_default_send_info{IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO,
                                                                      "SCTP_DEFAULT_SNDINFO"};
/// `SCTP_EVENTS`: every notification switch at once
/// (`core::sctp_event_mask`). RFC 6458 6.2.1.
inline constexpr sockopt<sctp_event_mask_codec> sctp_events{IPPROTO_SCTP, SCTP_EVENTS, "SCTP_EVENTS"};
/// `SCTP_EVENT`: one notification on or off (`core::sctp_event_switch`).
/// Write-only here: its getsockopt reads the event type from the caller's
/// buffer first, which `get` does not pass; read the switches back with
/// `sctp_events`. RFC 6458 6.2.2.
inline constexpr sockopt<sctp_event_switch_codec, access::write_only> sctp_event{IPPROTO_SCTP, SCTP_EVENT,
                                                                                 "SCTP_EVENT"};

/// Every IPPROTO_SCTP descriptor, for tools that list a socket's options and
/// for the tests that walk the table.
inline constexpr auto sctp_table =
    std::tie(sctp_no_delay, sctp_init_message, sctp_rto_info, sctp_max_segment, sctp_autoclose,
             sctp_disable_fragments, sctp_default_send_info, sctp_events, sctp_event);

}  // namespace opt
}  // namespace mcnet::core
