# SPDX-License-Identifier: Apache-2.0
"""Packets built byte by byte for the capture tests (test_cli_pcap.py,
test_cli_fuzz.py), independently of wirekit_codegen/capture/: link headers,
IPv4/IPv6, UDP/TCP with their checksums, and the exchange framings as
docs/framing.md lays them out."""

from __future__ import annotations

import ipaddress
import struct

ETHERNET, RAW, NULL, LOOP, LINUX_SLL, LINUX_SLL2 = 1, 12, 0, 108, 113, 276
UDP, TCP = 17, 6
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f">{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _pseudo(src: str, dst: str, protocol: int, length: int) -> bytes:
    a, b = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    if a.version == 4:
        return a.packed + b.packed + struct.pack(">BBH", 0, protocol, length)
    return a.packed + b.packed + struct.pack(">I3xB", length, protocol)


def udp(src: str, dst: str, sport: int, dport: int, payload: bytes) -> bytes:
    header = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0)
    total = checksum(_pseudo(src, dst, UDP, 8 + len(payload)) + header + payload) or 0xFFFF
    return header[:6] + struct.pack(">H", total) + payload


def tcp(src: str, dst: str, sport: int, dport: int, seq: int, flags: int, payload: bytes, ack: int = 0) -> bytes:
    header = struct.pack(">HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0)
    total = checksum(_pseudo(src, dst, TCP, len(header) + len(payload)) + header + payload)
    return header[:16] + struct.pack(">H", total) + header[18:] + payload


def ip(src: str, dst: str, protocol: int, payload: bytes, ttl: int = 64) -> bytes:
    a, b = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    if a.version == 4:
        header = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, ttl, protocol, 0, a.packed, b.packed)
        return header[:10] + struct.pack(">H", checksum(header)) + header[12:] + payload
    return struct.pack(">IHBB16s16s", 6 << 28, len(payload), protocol, ttl, a.packed, b.packed) + payload


def link(link_type: int, packet: bytes, vlan: int | None = None) -> bytes:
    """An IP packet behind the link header of link_type."""
    version = packet[0] >> 4
    ethertype = 0x0800 if version == 4 else 0x86DD
    if link_type == ETHERNET:
        tag = b"" if vlan is None else struct.pack(">HH", 0x8100, vlan)
        return bytes.fromhex("020000000002") + bytes.fromhex("020000000001") + tag + struct.pack(">H", ethertype) + packet
    if link_type == RAW:
        return packet
    if link_type == NULL:  # the family in the writer's byte order: little-endian here
        return struct.pack("<I", 2 if version == 4 else 10) + packet
    if link_type == LOOP:
        return struct.pack(">I", 2 if version == 4 else 24) + packet
    if link_type == LINUX_SLL:
        return struct.pack(">HHH8sH", 0, 772, 6, bytes(8), ethertype) + packet
    if link_type == LINUX_SLL2:
        return struct.pack(">HHIHBB8s", ethertype, 0, 1, 772, 0, 6, bytes(8)) + packet
    raise ValueError(link_type)


def udp_packet(src: str, dst: str, sport: int, dport: int, payload: bytes, link_type: int = ETHERNET,
               vlan: int | None = None) -> bytes:
    return link(link_type, ip(src, dst, UDP, udp(src, dst, sport, dport, payload)), vlan)


def tcp_packet(src: str, dst: str, sport: int, dport: int, seq: int, flags: int, payload: bytes = b"",
               link_type: int = ETHERNET) -> bytes:
    return link(link_type, ip(src, dst, TCP, tcp(src, dst, sport, dport, seq, flags | ACK, payload)))


# -- framings (docs/framing.md, "Exchange packets") ---------------------------

PACKET_HEADERS = {
    "cme-mdp3": lambda seq, time: struct.pack("<IQ", seq, time),
    "b3-umdf": lambda seq, time: struct.pack("<BBHIQ", 5, 0, 2, seq, time),
    "coinbase-cde": lambda seq, time: struct.pack("<qqHBBi", time, seq, 7, 1, 0, 0),
}


def framed(framing: str, message: bytes, big_endian_schema: bool = False) -> bytes:
    """One message behind its framing's length header."""
    if framing in ("cme-mdp3", "coinbase-cde"):
        return struct.pack("<H", 2 + len(message)) + message
    if framing == "b3-umdf":
        return struct.pack("<HH", 4 + len(message), 0xEB50) + message
    if framing == "sofh":
        return struct.pack(">IH", 6 + len(message), 0x5BE0 if big_endian_schema else 0xEB50) + message
    size, order = {"length-u16-le": (2, "<H"), "length-u16-be": (2, ">H"),
                   "length-u32-le": (4, "<I"), "length-u32-be": (4, ">I")}[framing]
    return struct.pack(order, len(message)) + message


def datagram(framing: str, messages: list[bytes], seq: int = 0, time: int = 0, big_endian_schema: bool = False) -> bytes:
    header = PACKET_HEADERS[framing](seq, time) if framing in PACKET_HEADERS else b""
    return header + b"".join(framed(framing, m, big_endian_schema) for m in messages)
