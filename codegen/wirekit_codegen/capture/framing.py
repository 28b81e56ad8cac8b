# SPDX-License-Identifier: Apache-2.0
"""What exchanges put around SBE messages, declared per preset: a packet header
once per datagram (a sequence number and a sending time), then messages each
behind a length field. The names and byte layouts are those of the C++
`PacketFramingOptions::preset()` (docs/framing.md, "Exchange packets")."""

from __future__ import annotations

from dataclasses import dataclass

from .libpcap import CaptureError

SOFH_LITTLE_ENDIAN, SOFH_BIG_ENDIAN = 0xEB50, 0x5BE0


@dataclass(frozen=True)
class Field:
    """An integer at offset in a header."""
    offset: int
    length: int
    order: str = "little"
    signed: bool = False

    def read(self, data, at: int) -> int:
        start = at + self.offset
        return int.from_bytes(data[start:start + self.length], self.order, signed=self.signed)


@dataclass(frozen=True)
class Framing:
    name: str
    summary: str
    packet_header: int  # bytes before a datagram's first message
    sequence: Field | None  # in the packet header
    sending_time: Field | None  # in the packet header, ns since the epoch
    length: Field  # each message's length field
    length_counts_header: bool  # the length is the whole message's, its own header's bytes included
    message_header: int  # bytes before the SBE message header (the length field and what follows it)
    encoding_type: Field | None = None  # a constant after the length field
    encoding_value: int | None = None  # what encoding_type must hold (None: by the schema's byte order, SOFH)

    def expected_encoding(self, byte_order: str) -> int | None:
        if self.encoding_type is None:
            return None
        if self.encoding_value is not None:
            return self.encoding_value
        return SOFH_LITTLE_ENDIAN if byte_order == "little" else SOFH_BIG_ENDIAN


def _length_prefix(name: str, size: int, order: str) -> Framing:
    word = "little" if order == "le" else "big"
    return Framing(name, f"u{8 * size} {order.upper()} length of the message after it (not counting itself); "
                         "no packet header", 0, None, None, Field(0, size, word), False, size)


PRESETS: dict[str, Framing] = {f.name: f for f in (
    Framing("cme-mdp3", "CME MDP 3.0: packet header u32 LE seq @0, u64 LE sending time @4; "
                        "each message behind a u16 LE size counting itself",
            12, Field(0, 4), Field(4, 8), Field(0, 2), True, 2),
    Framing("b3-umdf", "B3 Binary UMDF: 16-byte packet header, u32 LE seq @4, u64 LE sending time @8; "
                       "each message behind a u16 LE length counting itself and a u16 LE encoding type 0xEB50",
            16, Field(4, 4), Field(8, 8), Field(0, 2), True, 4, Field(2, 2), SOFH_LITTLE_ENDIAN),
    Framing("coinbase-cde", "Coinbase Derivatives: 24-byte packet header, i64 LE sending time @0, i64 LE seq @8; "
                            "each message behind a u16 LE length counting itself (and padding after the message)",
            24, Field(8, 8, signed=True), Field(0, 8, signed=True), Field(0, 2), True, 2),
    Framing("sofh", "FIX Simple Open Framing Header: u32 BE length counting itself, u16 BE encoding type "
                    "(0xEB50; 0x5BE0 for a big-endian schema); no packet header",
            0, None, None, Field(0, 4, "big"), True, 6, Field(4, 2, "big")),
    _length_prefix("length-u16-le", 2, "le"),
    _length_prefix("length-u16-be", 2, "be"),
    _length_prefix("length-u32-le", 4, "le"),
    _length_prefix("length-u32-be", 4, "be"),
)}


class Message:
    """A framed message: its SBE bytes and where they start (in the packet or
    in the TCP stream)."""
    __slots__ = ("data", "offset")

    def __init__(self, data, offset: int):
        self.data, self.offset = data, offset


class Splitter:
    """Cuts datagrams, or a TCP stream, into messages by one framing."""

    def __init__(self, framing: Framing, byte_order: str, max_frame_length: int):
        self.framing = framing
        self.encoding = framing.expected_encoding(byte_order)
        self.max_frame_length = max_frame_length

    def frame_length(self, data, at: int, base: int, where: str) -> int:
        """The whole frame's length (length field and header included) of the
        frame at `at`, whose message header is known to be in data; checked.
        `base` is data's offset in the packet or stream, which errors name."""
        f = self.framing
        value = f.length.read(data, at)
        total = value if f.length_counts_header else value + f.message_header
        if total < f.message_header:
            raise CaptureError(f"{where}: message length {value} is below its own header's {f.message_header} bytes")
        if total > self.max_frame_length:
            raise CaptureError(f"{where}: message length {total} exceeds --max-frame-length {self.max_frame_length}")
        if self.encoding is not None:
            encoding = f.encoding_type.read(data, at)
            if encoding != self.encoding:
                raise CaptureError(f"{where}: encoding type 0x{encoding:04X} at byte {base + at + f.encoding_type.offset} "
                                   f"is not the expected 0x{self.encoding:04X}")
        return total

    def packet_numbers(self, payload) -> tuple[int | None, int | None]:
        """The sequence number and sending time of a datagram's packet header."""
        f = self.framing
        return (f.sequence.read(payload, 0) if f.sequence else None,
                f.sending_time.read(payload, 0) if f.sending_time else None)

    def datagram(self, payload, base: int, name: str):
        """The messages of one UDP datagram; `base` is its first byte's offset
        in the packet, which errors name."""
        f = self.framing
        size = len(payload)
        if size < f.packet_header:
            raise CaptureError(f"{name}, byte {base}: the {f.name} packet header of {f.packet_header} bytes runs "
                               f"past the end of the datagram ({size} bytes)")
        at = f.packet_header
        while at < size:
            where = f"{name}, byte {base + at}"
            if size - at < f.message_header:
                raise CaptureError(f"{where}: {size - at} bytes after the last message, too few for a message header "
                                   f"of {f.message_header} bytes")
            total = self.frame_length(payload, at, base, where)
            if total > size - at:
                raise CaptureError(f"{where}: a message of {total} bytes runs past the end of the datagram "
                                   f"({size - at} bytes left)")
            yield Message(payload[at + f.message_header:at + total], base + at + f.message_header)
            at += total


class StreamSplitter:
    """The messages of one TCP direction's bytes, as they arrive in order."""

    def __init__(self, splitter: Splitter):
        self.splitter = splitter
        self.buffer = bytearray()
        self.start = 0  # the stream offset of buffer[0]

    def push(self, data: bytes, name: str):
        f = self.splitter.framing
        self.buffer += data
        buffer, at = self.buffer, 0
        view = memoryview(buffer)
        try:
            while len(buffer) - at >= f.message_header:
                where = f"{name}, stream byte {self.start + at}"
                total = self.splitter.frame_length(buffer, at, self.start, where)
                if total > len(buffer) - at:
                    break
                yield Message(bytes(view[at + f.message_header:at + total]), self.start + at + f.message_header)
                at += total
        finally:
            view.release()
            del buffer[:at]
            self.start += at

    def leftover(self, name: str) -> str | None:
        """At the end of the capture: the message the stream ends inside."""
        if not self.buffer:
            return None
        return f"{name}, stream byte {self.start}: the capture ends inside a message ({len(self.buffer)} bytes of it)"
