# SPDX-License-Identifier: Apache-2.0
"""What lies inside a captured packet, which libpcap does not parse: the link
header (Ethernet with VLAN tags, Linux cooked v1 and v2, BSD loopback, raw
IP), IPv4 or IPv6, then UDP or TCP. Every length is checked against the bytes
captured; a header that does not fit is a CaptureError naming the packet and
the byte offset in it. TCP segments are put back in sequence order per
direction (TcpStreams)."""

from __future__ import annotations

import heapq
import ipaddress
import struct

from . import libpcap
from .libpcap import CaptureError

UDP, TCP = 17, 6
ETHERTYPE_IPV4, ETHERTYPE_IPV6 = 0x0800, 0x86DD
ETHERTYPE_VLANS = (0x8100, 0x88A8, 0x9100)
# BSD loopback address families: AF_INET everywhere, AF_INET6 as each system numbers it.
AF_INET, AF_INET6S = 2, (10, 24, 28, 30)
IPV6_EXTENSIONS = (0, 43, 60)  # hop-by-hop, routing, destination options: skipped
IPV6_FRAGMENT = 44

TCP_FIN, TCP_SYN, TCP_RST = 0x01, 0x02, 0x04


class Segment:
    """A UDP datagram or a TCP segment: addresses as text, ports, the payload
    and, for TCP, the sequence number and flags."""
    __slots__ = ("protocol", "src", "dst", "src_port", "dst_port", "payload", "offset", "seq", "flags")

    def __init__(self, protocol, src, dst, src_port, dst_port, payload, offset, seq=0, flags=0):
        self.protocol, self.src, self.dst, self.src_port, self.dst_port = protocol, src, dst, src_port, dst_port
        self.payload, self.offset, self.seq, self.flags = payload, offset, seq, flags


def _short(number: int, what: str, at: int, need: int, have: int) -> CaptureError:
    return CaptureError(f"packet {number}, byte {at}: {what} of {need} bytes runs past the end of the packet "
                        f"({have} bytes left)")


def _link(number: int, link_type: int, data: bytes) -> tuple[int | None, int]:
    """The network protocol (an ethertype; None: not IP) and where it starts."""
    size = len(data)
    if link_type == libpcap.DLT_EN10MB:
        if size < 14:
            raise _short(number, "Ethernet header", 0, 14, size)
        at, ethertype = 14, int.from_bytes(data[12:14], "big")
        while ethertype in ETHERTYPE_VLANS:
            if size < at + 4:
                raise _short(number, "VLAN tag", at - 2, 4, size)
            ethertype = int.from_bytes(data[at + 2:at + 4], "big")
            at += 4
        return ethertype, at
    if link_type in (libpcap.DLT_RAW, libpcap.LINKTYPE_RAW, libpcap.DLT_RAW_OPENBSD):
        if size < 1:
            raise _short(number, "IP header", 0, 1, size)
        version = data[0] >> 4
        return {4: ETHERTYPE_IPV4, 6: ETHERTYPE_IPV6}.get(version), 0
    if link_type in (libpcap.DLT_NULL, libpcap.DLT_LOOP):
        if size < 4:
            raise _short(number, "loopback header", 0, 4, size)
        # DLT_NULL's family is in the writer's byte order, DLT_LOOP's in network order.
        orders = ("big",) if link_type == libpcap.DLT_LOOP else ("little", "big")
        for order in orders:
            family = int.from_bytes(data[0:4], order)
            if family == AF_INET:
                return ETHERTYPE_IPV4, 4
            if family in AF_INET6S:
                return ETHERTYPE_IPV6, 4
        return None, 4
    if link_type == libpcap.DLT_LINUX_SLL:
        if size < 16:
            raise _short(number, "Linux cooked header", 0, 16, size)
        return int.from_bytes(data[14:16], "big"), 16
    if link_type == libpcap.DLT_LINUX_SLL2:
        if size < 20:
            raise _short(number, "Linux cooked v2 header", 0, 20, size)
        return int.from_bytes(data[0:2], "big"), 20
    raise CaptureError(f"packet {number}: link type {link_type} is not one wirekit reads "
                       "(Ethernet, Linux cooked, loopback, raw IP)")


def _ipv4(number: int, data: bytes, at: int) -> tuple[int, str, str, int, int]:
    """(protocol, src, dst, start, end) of the IPv4 payload."""
    size = len(data)
    if size - at < 20:
        raise _short(number, "IPv4 header", at, 20, size - at)
    version, header = data[at] >> 4, (data[at] & 0x0F) * 4
    if version != 4:
        raise CaptureError(f"packet {number}, byte {at}: IP version {version} in an IPv4 header")
    if header < 20:
        raise CaptureError(f"packet {number}, byte {at}: IPv4 header length {header} is below the minimum 20")
    total = int.from_bytes(data[at + 2:at + 4], "big")
    if total < header:
        raise CaptureError(f"packet {number}, byte {at + 2}: IPv4 total length {total} is shorter than its "
                           f"header ({header} bytes)")
    if total > size - at:
        raise _short(number, "IPv4 datagram", at, total, size - at)
    fragment = int.from_bytes(data[at + 6:at + 8], "big")
    if fragment & 0x3FFF:  # more fragments, or an offset: wirekit does not reassemble IP fragments
        raise CaptureError(f"packet {number}, byte {at + 6}: an IPv4 fragment (IP fragments are not reassembled)")
    src = ipaddress.IPv4Address(data[at + 12:at + 16]).compressed
    dst = ipaddress.IPv4Address(data[at + 16:at + 20]).compressed
    return data[at + 9], src, dst, at + header, at + total


def _ipv6(number: int, data: bytes, at: int) -> tuple[int, str, str, int, int]:
    size = len(data)
    if size - at < 40:
        raise _short(number, "IPv6 header", at, 40, size - at)
    if data[at] >> 4 != 6:
        raise CaptureError(f"packet {number}, byte {at}: IP version {data[at] >> 4} in an IPv6 header")
    length = int.from_bytes(data[at + 4:at + 6], "big")
    end = at + 40 + length
    if end > size:
        raise _short(number, "IPv6 payload", at + 40, length, size - at - 40)
    src = ipaddress.IPv6Address(data[at + 8:at + 24]).compressed
    dst = ipaddress.IPv6Address(data[at + 24:at + 40]).compressed
    protocol, pos = data[at + 6], at + 40
    while protocol in IPV6_EXTENSIONS or protocol == IPV6_FRAGMENT:
        if end - pos < 8:
            raise _short(number, "IPv6 extension header", pos, 8, end - pos)
        if protocol == IPV6_FRAGMENT:
            if int.from_bytes(data[pos + 2:pos + 4], "big") != 0:  # an offset or more fragments
                raise CaptureError(f"packet {number}, byte {pos}: an IPv6 fragment (IP fragments are not reassembled)")
            header = 8
        else:
            header = (data[pos + 1] + 1) * 8
            if end - pos < header:
                raise _short(number, "IPv6 extension header", pos, header, end - pos)
        protocol, pos = data[pos], pos + header
    return protocol, src, dst, pos, end


def parse(number: int, link_type: int, data: bytes) -> Segment | None:
    """The UDP datagram or TCP segment in a packet; None for anything else
    (ARP, ICMP, ...), which the decoder passes over."""
    ethertype, at = _link(number, link_type, data)
    if ethertype == ETHERTYPE_IPV4:
        protocol, src, dst, at, end = _ipv4(number, data, at)
    elif ethertype == ETHERTYPE_IPV6:
        protocol, src, dst, at, end = _ipv6(number, data, at)
    else:
        return None
    if protocol == UDP:
        if end - at < 8:
            raise _short(number, "UDP header", at, 8, end - at)
        src_port, dst_port, length = struct.unpack_from(">HHH", data, at)
        if length < 8:
            raise CaptureError(f"packet {number}, byte {at + 4}: UDP length {length} is below its header's 8 bytes")
        if length > end - at:
            raise _short(number, "UDP datagram", at, length, end - at)
        return Segment("udp", src, dst, src_port, dst_port, data[at + 8:at + length], at + 8)
    if protocol == TCP:
        if end - at < 20:
            raise _short(number, "TCP header", at, 20, end - at)
        src_port, dst_port, seq = struct.unpack_from(">HHI", data, at)
        header, flags = (data[at + 12] >> 4) * 4, data[at + 13]
        if header < 20:
            raise CaptureError(f"packet {number}, byte {at + 12}: TCP header length {header} is below the minimum 20")
        if header > end - at:
            raise _short(number, "TCP header", at, header, end - at)
        return Segment("tcp", src, dst, src_port, dst_port, data[at + header:end], at + header, seq, flags)
    return None


def endpoint(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


class TcpStream:
    """One direction of a TCP connection: the bytes in sequence order.
    Retransmitted bytes are dropped, segments after a gap wait (up to
    max_pending bytes) until the gap is filled."""

    def __init__(self, name: str, max_pending: int):
        self.name, self.max_pending = name, max_pending
        self.next_seq: int | None = None  # the sequence number of the next byte in order (mod 2^32)
        self.offset = 0  # the stream offset of that byte
        self.pending: dict[int, tuple[bytes, int]] = {}  # stream offset -> (bytes, packet number)
        self.starts: list[int] = []  # a heap of pending's keys: many small segments behind a gap stay cheap
        self.pending_bytes = 0

    def push(self, segment: Segment, number: int) -> list[bytes]:
        """The bytes this segment puts in order (after the ones before it)."""
        seq, payload, out = segment.seq, segment.payload, []
        if segment.flags & TCP_SYN:
            seq = (seq + 1) & 0xFFFFFFFF  # the SYN takes one sequence number
            if self.next_seq is None:
                self.next_seq = seq
        if self.next_seq is None:  # the capture starts inside the connection
            self.next_seq = seq
        if not payload:
            return out
        # The distance from the next byte expected, as a signed 32-bit number (sequence numbers wrap).
        delta = ((seq - self.next_seq + 0x80000000) & 0xFFFFFFFF) - 0x80000000
        start = self.offset + delta
        if start > self.offset:
            held = self.pending.get(start)
            if held is None:
                heapq.heappush(self.starts, start)
            if held is None or len(held[0]) < len(payload):
                self.pending_bytes += len(payload) - (len(held[0]) if held else 0)
                self.pending[start] = (payload, number)
            if self.pending_bytes > self.max_pending:
                raise CaptureError(f"packet {number}: TCP {self.name}: {self.pending_bytes} bytes wait behind a gap "
                                   f"at stream byte {self.offset}, more than --max-tcp-pending {self.max_pending}")
            return out
        self._append(payload[self.offset - start:], out)
        while self.starts and self.starts[0] <= self.offset:
            first = heapq.heappop(self.starts)
            data, _ = self.pending.pop(first)
            self.pending_bytes -= len(data)
            if first + len(data) > self.offset:
                self._append(data[self.offset - first:], out)
        return out

    def _append(self, data: bytes, out: list[bytes]) -> None:
        if data:
            out.append(data)
            self.offset += len(data)
            self.next_seq = (self.next_seq + len(data)) & 0xFFFFFFFF

    def gap(self) -> str | None:
        """At the end of the capture: the gap that bytes still wait behind."""
        if not self.starts:
            return None
        first = self.starts[0]
        return (f"TCP {self.name}: the capture ends with a gap of {first - self.offset} bytes at stream byte "
                f"{self.offset} (packet {self.pending[first][1]} came after it)")
