# SPDX-License-Identifier: Apache-2.0
"""`wirekit decode --pcap`: every message of a capture as one JSON line, with
the packet it came in. libpcap reads the file (libpcap.py), packets.py the
headers in each packet and TCP's order, framing.py cuts datagrams and streams
into messages, and wire/codec.py decodes each message as `wirekit decode` does."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ..model.types import Schema
from ..wire.codec import Decoder, WireError, json_string
from . import packets
from .framing import Framing, Splitter, StreamSplitter
from .libpcap import CaptureError, Reader

# Safe defaults for what a hostile capture could make the decoder hold.
MAX_FRAME_LENGTH = 1 << 20  # the C++ LengthFieldDecoderOptions' default maxFrameLength
MAX_TCP_PENDING = 16 << 20  # bytes of one TCP direction waiting behind a gap


@dataclass
class Options:
    framing: Framing | None  # set before decoding: from --framing or the schema
    bpf: str | None = None  # libpcap's capture filter language
    templates: frozenset[str] | None = None  # message names to print (None: all)
    since_ns: int | None = None  # packets captured at or after
    until_ns: int | None = None  # packets captured before
    max_frame_length: int = MAX_FRAME_LENGTH
    max_tcp_pending: int = MAX_TCP_PENDING


_TIME = re.compile(r"(\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?)?)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?")
_EPOCH = re.compile(r"(\d+)(?:\.(\d{1,9}))?")
_EPOCH_START = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def parse_time(text: str) -> int:
    """Nanoseconds since the epoch of `2026-12-05T18:50:50.123456789Z` (UTC
    unless an offset is given) or of seconds since the epoch (`1796496650.5`);
    ValueError otherwise."""
    epoch = _EPOCH.fullmatch(text)
    if epoch:
        return int(epoch[1]) * 1_000_000_000 + int((epoch[2] or "").ljust(9, "0"))
    match = _TIME.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a time (2026-12-05T18:50:50.5Z, or seconds since the epoch)")
    zone = datetime.timezone.utc
    if match[3] and match[3] != "Z":
        sign = -1 if match[3][0] == "-" else 1
        digits = match[3][1:].replace(":", "")
        zone = datetime.timezone(sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    moment = datetime.datetime.fromisoformat(match[1]).replace(tzinfo=zone)
    seconds = (moment - _EPOCH_START) // datetime.timedelta(seconds=1)
    return seconds * 1_000_000_000 + int((match[2] or "").ljust(9, "0"))


def format_time(time_ns: int) -> str:
    seconds, nanoseconds = divmod(time_ns, 1_000_000_000)
    moment = _EPOCH_START + datetime.timedelta(seconds=seconds)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{nanoseconds:09d}Z"


class _Direction:
    """One direction of a TCP connection: its bytes in order, cut into messages."""

    def __init__(self, name: str, splitter: Splitter, max_pending: int):
        self.name = name
        self.stream = packets.TcpStream(name, max_pending)
        self.messages = StreamSplitter(splitter)
        self.first_seq: int | None = None  # the SYN's, to tell a new connection on the same ports

    def ended(self) -> str | None:
        return self.stream.gap() or self.messages.leftover(f"TCP {self.name}")


class CaptureDecoder:
    """The messages of the capture at path (`-`: standard input, which libpcap reads)."""

    def __init__(self, schema: Schema, path: str, options: Options):
        self.schema, self.options = schema, options
        self.file = path
        self.path = "<stdin>" if path == "-" else path  # what errors call it
        self.decoder = Decoder(schema)
        self.splitter = Splitter(options.framing, schema.byte_order, options.max_frame_length)
        self.directions: dict[tuple, _Direction] = {}
        self.wanted = None
        if options.templates is not None:
            self.wanted = {m.template_id for m in schema.messages if m.name in options.templates}

    def lines(self):
        """The JSON line of each message, in capture order; CaptureError on the first error."""
        with Reader(self.file, self.options.bpf, self.path) as reader:
            for record in reader:
                try:
                    yield from self._packet(reader.link_type, record)
                except CaptureError as error:
                    raise CaptureError(f"{self.path}: {error}") from None
        for direction in self.directions.values():
            problem = direction.ended()
            if problem:
                raise CaptureError(f"{self.path}: {problem}")

    def _packet(self, link_type: int, record):
        if len(record.data) < record.wire_length:
            raise CaptureError(f"packet {record.number}: {len(record.data)} of its {record.wire_length} "
                               "bytes were captured (the capture's snapshot length); its messages cannot be decoded")
        segment = packets.parse(record.number, link_type, record.data)
        if segment is None:
            return
        in_time = ((self.options.since_ns is None or record.time_ns >= self.options.since_ns)
                   and (self.options.until_ns is None or record.time_ns < self.options.until_ns))
        src, dst = packets.endpoint(segment.src, segment.src_port), packets.endpoint(segment.dst, segment.dst_port)
        prefix = (f'{{"packet":{record.number},"time":"{format_time(record.time_ns)}","proto":"{segment.protocol}",'
                  f'"src":{json_string(segment.src)},"srcPort":{segment.src_port},'
                  f'"dst":{json_string(segment.dst)},"dstPort":{segment.dst_port}')
        if segment.protocol == "udp":
            if not in_time or not segment.payload:  # outside the window: not decoded, so not checked either
                return
            name = f"packet {record.number}"
            splitter = self.splitter
            try:
                messages = list(splitter.datagram(segment.payload, segment.offset, name))
            except CaptureError as error:
                raise CaptureError(f"{error} (UDP {src} > {dst})") from None
            sequence, sending_time = splitter.packet_numbers(segment.payload)
            if sequence is not None:
                prefix += f',"seq":{sequence}'
            if sending_time is not None:
                prefix += f',"sendingTime":{sending_time}'
            for message in messages:
                yield from self._message(prefix, message, f"{name}, byte {message.offset}")
            return
        key = (segment.src, segment.src_port, segment.dst, segment.dst_port)
        direction = self.directions.get(key)
        if segment.flags & packets.TCP_SYN and direction is not None and direction.first_seq != segment.seq:
            # A new connection on the same addresses and ports: the old one must have ended whole.
            problem = direction.ended()
            if problem:
                raise CaptureError(problem)
            direction = None
        if direction is None:
            direction = self.directions[key] = _Direction(f"{src} > {dst}", self.splitter, self.options.max_tcp_pending)
            if segment.flags & packets.TCP_SYN:
                direction.first_seq = segment.seq
        for chunk in direction.stream.push(segment, record.number):
            for message in direction.messages.push(chunk, f"packet {record.number}: TCP {direction.name}"):
                if in_time:
                    where = f"packet {record.number}: TCP {direction.name}, stream byte {message.offset}"
                    yield from self._message(prefix, message, where)

    def _message(self, prefix: str, message, where: str):
        if self.wanted is not None:
            template = self.decoder.template_id(message.data)
            if template is not None and template not in self.wanted:
                return
        try:
            text, _ = self.decoder.decode(message.data)
        except WireError as error:
            raise CaptureError(f"{where}: {error}") from None
        yield f'{prefix},"message":{text}}}'
