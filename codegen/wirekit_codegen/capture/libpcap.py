# SPDX-License-Identifier: Apache-2.0
"""Debian's libpcap (`libpcap.so.0.8`, package libpcap0.8) through ctypes: it
reads pcap and pcapng files and writes pcap files, so that wirekit parses no
capture file format itself. Only what lies inside a packet (link, IP, UDP and
TCP headers) is parsed in Python (packets.py)."""

from __future__ import annotations

import ctypes
import ctypes.util

PACKAGE = "libpcap0.8"
SONAME = "libpcap.so.0.8"
ERRBUF_SIZE = 256  # PCAP_ERRBUF_SIZE
TSTAMP_PRECISION_NANO = 1
NETMASK_UNKNOWN = 0xFFFFFFFF
NEXT_OK, NEXT_EOF = 1, -2  # pcap_next_ex: a packet; the end of the file (PCAP_ERROR_BREAK)

# Link types (pcap_datalink's DLT_ values, and pcap_open_dead's).
DLT_NULL, DLT_EN10MB, DLT_RAW, DLT_LOOP, DLT_LINUX_SLL, DLT_LINUX_SLL2 = 0, 1, 12, 108, 113, 276
LINKTYPE_RAW = 101  # a file's raw-IP link type, which some systems' libpcap hands out unmapped
DLT_RAW_OPENBSD = 14


class CaptureError(Exception):
    """A capture that cannot be read or decoded; the text names the file and where."""


class SetupError(CaptureError):
    """Wrong before any packet is read (no libpcap, a filter it rejects): the
    CLI's exit status 2, as for a wrong command line."""


class LibpcapMissing(SetupError):
    pass


class _Timeval(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long)]


class _PacketHeader(ctypes.Structure):
    # With nanosecond precision, tv_usec holds nanoseconds.
    _fields_ = [("ts", _Timeval), ("caplen", ctypes.c_uint32), ("len", ctypes.c_uint32)]


class _BpfProgram(ctypes.Structure):
    _fields_ = [("bf_len", ctypes.c_uint), ("bf_insns", ctypes.c_void_p)]


_library = None


def library() -> ctypes.CDLL:
    """libpcap, loaded once; LibpcapMissing names the package to install."""
    global _library
    if _library is not None:
        return _library
    try:
        lib = ctypes.CDLL(SONAME)
    except OSError:
        found = ctypes.util.find_library("pcap")
        if found is None:
            raise LibpcapMissing(f"reading captures needs libpcap ({SONAME}); install the Debian package {PACKAGE} "
                                 f"(apt-get install {PACKAGE})") from None
        lib = ctypes.CDLL(found)
    pointer, handle = ctypes.c_void_p, ctypes.c_void_p
    signatures = {
        "pcap_open_offline_with_tstamp_precision": (handle, [ctypes.c_char_p, ctypes.c_uint, ctypes.c_char_p]),
        "pcap_next_ex": (ctypes.c_int, [handle, ctypes.POINTER(ctypes.POINTER(_PacketHeader)),
                                        ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte))]),
        "pcap_datalink": (ctypes.c_int, [handle]),
        "pcap_geterr": (ctypes.c_char_p, [handle]),
        "pcap_file": (pointer, [handle]),
        "pcap_compile": (ctypes.c_int, [handle, ctypes.POINTER(_BpfProgram), ctypes.c_char_p, ctypes.c_int,
                                        ctypes.c_uint32]),
        "pcap_setfilter": (ctypes.c_int, [handle, ctypes.POINTER(_BpfProgram)]),
        "pcap_freecode": (None, [ctypes.POINTER(_BpfProgram)]),
        "pcap_close": (None, [handle]),
        "pcap_open_dead_with_tstamp_precision": (handle, [ctypes.c_int, ctypes.c_int, ctypes.c_uint]),
        "pcap_dump_open": (pointer, [handle, ctypes.c_char_p]),
        "pcap_dump": (None, [pointer, ctypes.POINTER(_PacketHeader), ctypes.c_char_p]),
        "pcap_dump_close": (None, [pointer]),
    }
    for name, (result, arguments) in signatures.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = result, arguments
    _library = lib
    return lib


_libc = None


def _file_offset(lib, handle) -> int | None:
    """Where libpcap is in the file (ftell on its FILE *), for errors."""
    global _libc
    stream = lib.pcap_file(handle)
    if not stream:
        return None
    if _libc is None:
        _libc = ctypes.CDLL(None)
        _libc.ftell.restype, _libc.ftell.argtypes = ctypes.c_long, [ctypes.c_void_p]
    offset = _libc.ftell(stream)
    return offset if offset >= 0 else None


class Record:
    """One packet as libpcap hands it out: its number in the file (from 1),
    capture time in nanoseconds since the epoch, captured bytes and the
    length the packet had on the wire."""
    __slots__ = ("number", "time_ns", "data", "wire_length")

    def __init__(self, number: int, time_ns: int, data: bytes, wire_length: int):
        self.number, self.time_ns, self.data, self.wire_length = number, time_ns, data, wire_length


class _Closable:
    """`with` closes what libpcap opened."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Reader(_Closable):
    """The packets of a pcap or pcapng file, in file order; `link_type` is the
    file's (pcap_datalink). `bpf` is a capture filter in libpcap's language
    (`udp port 14310`), applied by libpcap: packets it rejects are counted in
    `number` but not handed out."""

    def __init__(self, path: str, bpf: str | None = None, name: str | None = None):
        self.path = path if name is None else name  # what errors call the file
        self.lib = lib = library()
        error = ctypes.create_string_buffer(ERRBUF_SIZE)
        self.handle = lib.pcap_open_offline_with_tstamp_precision(path.encode(), TSTAMP_PRECISION_NANO, error)
        if not self.handle:
            raise CaptureError(f"{self.path}: {error.value.decode(errors='replace')}")
        self.link_type = lib.pcap_datalink(self.handle)
        if bpf is not None:
            self._set_filter(bpf)

    def _set_filter(self, bpf: str) -> None:
        program = _BpfProgram()
        if self.lib.pcap_compile(self.handle, ctypes.byref(program), bpf.encode(), 1, NETMASK_UNKNOWN) != 0:
            message = self.lib.pcap_geterr(self.handle).decode(errors="replace")
            self.close()
            raise SetupError(f"--filter {bpf!r}: {message}")
        status = self.lib.pcap_setfilter(self.handle, ctypes.byref(program))
        self.lib.pcap_freecode(ctypes.byref(program))
        if status != 0:
            message = self.lib.pcap_geterr(self.handle).decode(errors="replace")
            self.close()
            raise SetupError(f"--filter {bpf!r}: {message}")

    def __iter__(self):
        lib, handle = self.lib, self.handle
        header = ctypes.POINTER(_PacketHeader)()
        data = ctypes.POINTER(ctypes.c_ubyte)()
        number = 0
        while True:
            offset = _file_offset(lib, handle)
            status = lib.pcap_next_ex(handle, ctypes.byref(header), ctypes.byref(data))
            if status == NEXT_EOF:
                return
            number += 1
            if status != NEXT_OK:
                where = f", byte {offset} of the file" if offset is not None else ""
                message = lib.pcap_geterr(handle).decode(errors="replace")
                raise CaptureError(f"{self.path}: packet {number}{where}: {message}")
            h = header.contents
            yield Record(number, h.ts.tv_sec * 1_000_000_000 + h.ts.tv_usec, ctypes.string_at(data, h.caplen), h.len)

    def close(self) -> None:
        if self.handle:
            self.lib.pcap_close(self.handle)
            self.handle = None


class Writer(_Closable):
    """A pcap file written by libpcap (pcap_open_dead + pcap_dump), nanosecond
    timestamps: what the tests record their synthesised traffic with."""

    def __init__(self, path: str, link_type: int = DLT_EN10MB, snaplen: int = 65535):
        self.lib = lib = library()
        self.dead = lib.pcap_open_dead_with_tstamp_precision(link_type, snaplen, TSTAMP_PRECISION_NANO)
        if not self.dead:
            raise CaptureError(f"{path}: libpcap cannot write link type {link_type}")
        self.dumper = lib.pcap_dump_open(self.dead, path.encode())
        if not self.dumper:
            message = lib.pcap_geterr(self.dead).decode(errors="replace")
            lib.pcap_close(self.dead)
            raise CaptureError(f"{path}: {message}")

    def write(self, time_ns: int, data: bytes, wire_length: int | None = None) -> None:
        header = _PacketHeader()
        header.ts.tv_sec, header.ts.tv_usec = divmod(time_ns, 1_000_000_000)
        header.caplen = len(data)
        header.len = len(data) if wire_length is None else wire_length
        self.lib.pcap_dump(self.dumper, ctypes.byref(header), data)

    def close(self) -> None:
        if self.dumper:
            self.lib.pcap_dump_close(self.dumper)
            self.lib.pcap_close(self.dead)
            self.dumper = None
