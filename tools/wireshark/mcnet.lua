-- SPDX-License-Identifier: Apache-2.0
-- Copyright 2026 The mcnet authors
--
-- Wireshark/tshark dissector for the header mcast-send puts at the start of
-- every datagram (docs/tools.md, "Wire header"; man mcast-send): 40 bytes,
-- big-endian, magic "MCN1", version 1.
--
-- Load it for one run:   tshark -X lua_script:/usr/share/mcnet/wireshark/mcnet.lua -r run.pcap
-- or for every run: copy or link it into Wireshark's personal Lua plugin
-- folder (`tshark -G folders`, "Personal Lua Plugins").
--
-- The ports are the user's choice, so the dissector is heuristic on UDP: a
-- datagram is taken when it is at least 40 bytes long and starts with the
-- magic, version 1 and header length 40, as mcast-recv decides.
-- A datagram the capture cut short (its snap length: `tcpdump -s 75` keeps
-- 33 bytes of a UDP payload over Ethernet) is taken on its first 8 bytes
-- when it was 40 bytes or more on the wire; the fields that were captured
-- are shown, and an expert note says the capture truncated it (the
-- datagram is not malformed), as Wireshark's own dissectors do. "Decode
-- As... MCNET" (or `-d udp.port==N,mcnet`) forces it on a port: there a
-- datagram that is not such a header still shows, with an expert finding
-- (malformed: shorter than 40 bytes, no magic; protocol: another version,
-- another header length), so a forced decode is never silently wrong; with
-- no magic that is the one finding (its other bytes are not mcnet fields). A
-- send time of 2^64-1 or more than 60 s from the capture time (mcast-recv's
-- clock_errors) gets an expert note.
--
-- Display filter fields: mcnet.magic, mcnet.version, mcnet.flags,
-- mcnet.flags.end, mcnet.flags.line_b, mcnet.flags.unknown,
-- mcnet.header_length, mcnet.sender_id, mcnet.session, mcnet.seq,
-- mcnet.send_time, mcnet.length, mcnet.reserved, mcnet.padding.

local HEADER_LENGTH = 40
local MAGIC = "MCN1"
local FLAG_END = 0x01
local FLAG_LINE_B = 0x02

local mcnet = Proto("mcnet", "mcnet test traffic (mcast-send header)")

local f = {
  magic = ProtoField.string("mcnet.magic", "Magic"),
  version = ProtoField.uint8("mcnet.version", "Version", base.DEC),
  flags = ProtoField.uint8("mcnet.flags", "Flags", base.HEX),
  flag_end = ProtoField.bool("mcnet.flags.end", "END marker", 8, nil, FLAG_END),
  flag_line_b = ProtoField.bool("mcnet.flags.line_b", "Line B copy", 8, nil, FLAG_LINE_B),
  flag_unknown = ProtoField.uint8("mcnet.flags.unknown", "Unknown flag bits", base.HEX, nil, 0xFC),
  header_length = ProtoField.uint16("mcnet.header_length", "Header length", base.DEC),
  sender_id = ProtoField.uint32("mcnet.sender_id", "Sender id", base.DEC),
  session = ProtoField.uint32("mcnet.session", "Session", base.DEC),
  seq = ProtoField.uint64("mcnet.seq", "Sequence number", base.DEC),
  send_time = ProtoField.absolute_time("mcnet.send_time", "Send time", base.UTC),
  length = ProtoField.uint32("mcnet.length", "Datagram length", base.DEC),
  reserved = ProtoField.uint32("mcnet.reserved", "Reserved", base.HEX),
  padding = ProtoField.bytes("mcnet.padding", "Padding"),
}
mcnet.fields = { f.magic, f.version, f.flags, f.flag_end, f.flag_line_b, f.flag_unknown, f.header_length,
                 f.sender_id, f.session, f.seq, f.send_time, f.length, f.reserved, f.padding }

local e = {
  length_mismatch = ProtoExpert.new("mcnet.length.mismatch", "Datagram length field differs from the UDP payload",
                                    expert.group.MALFORMED, expert.severity.WARN),
  unknown_flags = ProtoExpert.new("mcnet.flags.unknown.set", "Flag bits this version does not define are set",
                                  expert.group.PROTOCOL, expert.severity.WARN),
  reserved = ProtoExpert.new("mcnet.reserved.set", "Reserved field is not 0", expert.group.PROTOCOL,
                             expert.severity.WARN),
  end_payload = ProtoExpert.new("mcnet.end.payload", "END marker longer than its header", expert.group.PROTOCOL,
                                expert.severity.WARN),
  end_marker = ProtoExpert.new("mcnet.end", "END marker: the sequence field is the number of sequence numbers the run used",
                               expert.group.SEQUENCE, expert.severity.CHAT),
  too_short = ProtoExpert.new("mcnet.too_short", "Shorter than the 40-byte mcnet header: not an mcnet datagram",
                              expert.group.MALFORMED, expert.severity.ERROR),
  truncated = ProtoExpert.new("mcnet.truncated",
                              "Datagram truncated by the capture's snap length: the fields past the captured bytes are not shown",
                              expert.group.UNDECODED, expert.severity.NOTE),
  bad_magic = ProtoExpert.new("mcnet.magic.bad", "Magic is not \"MCN1\": not an mcnet datagram",
                              expert.group.MALFORMED, expert.severity.ERROR),
  unknown_version = ProtoExpert.new("mcnet.version.unknown", "Version is not 1: the fields may mean something else",
                                    expert.group.PROTOCOL, expert.severity.WARN),
  header_length = ProtoExpert.new("mcnet.header_length.unexpected", "Header length is not 40: mcast-recv does not read this header",
                                  expert.group.PROTOCOL, expert.severity.WARN),
  send_time = ProtoExpert.new("mcnet.send_time.implausible",
                              "Send time is no time or more than 60 s from the capture time (mcast-recv: a clock error)",
                              expert.group.SEQUENCE, expert.severity.NOTE),
}
mcnet.experts = { e.length_mismatch, e.unknown_flags, e.reserved, e.end_payload, e.end_marker, e.too_short,
                  e.truncated, e.bad_magic, e.unknown_version, e.header_length, e.send_time }

-- mcast-recv's plausible latency: a send time further from the arrival is a clock error.
local PLAUSIBLE_S = 60

-- True when `tvb` starts with a header of this version: 40 bytes or more
-- on the wire, of which the capture kept at least the 8 that say so.
local function looks_like_mcnet(tvb)
  if tvb:reported_len() < HEADER_LENGTH or tvb:len() < 8 then return false end
  return tvb(0, 4):string() == MAGIC and tvb(4, 1):uint() == 1 and tvb(6, 2):uint() == HEADER_LENGTH
end

-- The send time: nanoseconds since the epoch (CLOCK_REALTIME), split for NSTime.
local function send_time(range)
  local ns = range:uint64()
  local billion = UInt64(1000000000)
  return NSTime.new((ns / billion):tonumber(), (ns % billion):tonumber())
end

local function dissect(tvb, pinfo, tree)
  pinfo.cols.protocol = "MCNET"
  -- Only the heuristic's datagrams and Decode As reach here; Decode As may
  -- force anything, and says so rather than decode it silently.
  local wire = tvb:reported_len()
  local captured = tvb:len()
  if wire < HEADER_LENGTH then
    local short = tree:add(mcnet, tvb())
    short:add_proto_expert_info(e.too_short, string.format("%d bytes: shorter than the 40-byte mcnet header", wire))
    pinfo.cols.info = string.format("not mcnet: %d bytes, shorter than its header", wire)
    return captured
  end
  -- Whether the field at `offset` of `n` bytes was captured (a snap length
  -- may have cut the datagram, the header included).
  local function has(offset, n) return offset + n <= captured end
  local root = tree:add(mcnet, tvb(0, math.min(captured, HEADER_LENGTH)))
  if captured < wire then
    root:add_proto_expert_info(e.truncated, string.format(
      "Truncated by the capture's snap length: %d of the datagram's %d bytes captured%s", captured, wire,
      captured < HEADER_LENGTH and string.format(" (%d of the 40-byte header): the fields past them are not shown", captured)
                                or ""))
  end
  -- Why mcast-recv would not read this header (Decode As forces any UDP
  -- here): the Info column says so, and no mcast-recv verdict on its
  -- fields (a send time) is given.
  local foreign = nil
  -- A wrong magic says the datagram is not mcnet's: its other bytes are no
  -- mcnet fields to find fault with, so the magic's is the one finding
  -- (trial t20v L4: a 100-byte datagram got four).
  local not_ours = false
  -- A version other than 1 or a header length other than 40 says it is
  -- not the header mcast-recv reads: those say so, and its other fields
  -- (flags, datagram length, reserved) get no finding either (trial t20w
  -- F4: a version 2 header also got a datagram length warning).
  local other_shape = (has(4, 1) and tvb(4, 1):uint() ~= 1) or (has(6, 2) and tvb(6, 2):uint() ~= HEADER_LENGTH)
  if has(0, 4) then
    local magic = root:add(f.magic, tvb(0, 4))
    if tvb(0, 4):string() ~= MAGIC then
      magic:add_proto_expert_info(e.bad_magic)
      foreign = "bad magic"
      not_ours = true
    end
  end
  if has(4, 1) then
    local version = root:add(f.version, tvb(4, 1))
    if tvb(4, 1):uint() ~= 1 and not not_ours then
      foreign = foreign or string.format("version %d", tvb(4, 1):uint())
      version:add_proto_expert_info(e.unknown_version, string.format("Version %d, not 1: the fields may mean something else",
                                                                     tvb(4, 1):uint()))
    end
  end
  local flags = 0
  if has(5, 1) then
    flags = tvb(5, 1):uint()
    local flag_tree = root:add(f.flags, tvb(5, 1))
    flag_tree:add(f.flag_end, tvb(5, 1))
    flag_tree:add(f.flag_line_b, tvb(5, 1))
    local unknown = flag_tree:add(f.flag_unknown, tvb(5, 1))
    if bit.band(flags, 0xFC) ~= 0 and not not_ours and not other_shape then unknown:add_proto_expert_info(e.unknown_flags) end
  end
  if has(6, 2) then
    local header_length = root:add(f.header_length, tvb(6, 2))
    if tvb(6, 2):uint() ~= HEADER_LENGTH and not not_ours then
      foreign = foreign or string.format("header length %d", tvb(6, 2):uint())
      header_length:add_proto_expert_info(e.header_length, string.format(
        "Header length %d, not 40: mcast-recv does not read this header", tvb(6, 2):uint()))
    end
  end
  if has(8, 4) then root:add(f.sender_id, tvb(8, 4)) end
  if has(12, 4) then root:add(f.session, tvb(12, 4)) end
  local seq_item = has(16, 8) and root:add(f.seq, tvb(16, 8)) or nil
  if has(24, 8) then
    local sent = root:add(f.send_time, tvb(24, 8), send_time(tvb(24, 8)))
    local sent_ns = tvb(24, 8):uint64()
    if foreign then
      -- Not a header mcast-recv reads: its "send time" is no time to judge.
    elseif sent_ns == UInt64.max() then
      sent:add_proto_expert_info(e.send_time, "Send time 2^64-1: no time (mcast-recv: a clock error)")
    else
      -- pinfo.abs_ts: the capture time, seconds since the epoch.
      local billion = UInt64(1000000000)
      local seconds = (sent_ns / billion):tonumber() + (sent_ns % billion):tonumber() / 1e9 - pinfo.abs_ts
      if seconds > PLAUSIBLE_S or seconds < -PLAUSIBLE_S then
        sent:add_proto_expert_info(e.send_time, string.format(
          "Send time %.0f s %s the capture time (mcast-recv: a clock error, left out of latency)",
          math.abs(seconds), seconds < 0 and "before" or "after"))
      end
    end
  end
  local declared = nil
  if has(32, 4) then
    local length_item = root:add(f.length, tvb(32, 4))
    declared = tvb(32, 4):uint()
    if declared ~= wire and not not_ours and not other_shape then
      length_item:add_proto_expert_info(e.length_mismatch,
        string.format("Datagram length field %d, UDP payload %d bytes", declared, wire))
    end
  end
  if has(36, 4) then
    local reserved_item = root:add(f.reserved, tvb(36, 4))
    if tvb(36, 4):uint() ~= 0 and not not_ours and not other_shape then reserved_item:add_proto_expert_info(e.reserved) end
  end
  if captured > HEADER_LENGTH then root:add(f.padding, tvb(HEADER_LENGTH)) end

  local is_end = bit.band(flags, FLAG_END) ~= 0
  local line = bit.band(flags, FLAG_LINE_B) ~= 0 and " line B" or ""
  local seq = seq_item and tostring(tvb(16, 8):uint64()) or "?"
  local sender = has(8, 4) and tostring(tvb(8, 4):uint()) or "?"
  local session = has(12, 4) and tostring(tvb(12, 4):uint()) or "?"
  local cut = captured < wire and string.format(" [truncated by the capture: %d of %d bytes]", captured, wire) or ""
  if foreign then
    pinfo.cols.info = string.format("not mcnet (%s): %d bytes%s", foreign, wire, cut)
    root:append_text(string.format(", not mcnet (%s)", foreign))
  elseif is_end then
    if seq_item then seq_item:add_proto_expert_info(e.end_marker) end
    if wire > HEADER_LENGTH then root:add_proto_expert_info(e.end_payload) end
    pinfo.cols.info = string.format("END count=%s sender=%s session=%s%s%s", seq, sender, session, line, cut)
    root:append_text(string.format(", END, count %s", seq))
  else
    pinfo.cols.info = string.format("seq=%s sender=%s session=%s len=%s%s%s", seq, sender, session,
                                    declared and tostring(declared) or "?", line, cut)
    root:append_text(string.format(", seq %s", seq))
  end
  return captured
end

mcnet.dissector = dissect

-- The heuristic calls the Lua function itself: mcnet.dissector read back is
-- a dissector handle, and calling that adds mcnet to frame.protocols a
-- second time ("udp:mcnet:mcnet").
local function heuristic(tvb, pinfo, tree)
  if not looks_like_mcnet(tvb) then return false end
  dissect(tvb, pinfo, tree)
  return true
end

mcnet:register_heuristic("udp", heuristic)
DissectorTable.get("udp.port"):add_for_decode_as(mcnet)
