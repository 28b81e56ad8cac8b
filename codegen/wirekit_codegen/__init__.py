# SPDX-License-Identifier: Apache-2.0
"""wirekit's schema compiler: `.wk` schemas to C++ codecs, and the `wirekit` CLI.

Stages, each in its own module:
  syntax/   lexer, parser (to an AST) and diagnostics
  model/    the resolved schema (names bound, aliases followed) and its validation
  layout/   offsets, block lengths, sizes, null values; the `layout` table
  emit/     C++ header emitter (Jinja2 templates lay out what Python computed)
  wire/     the JSON form: encode/decode of wire bytes from the layout model
  capture/  `decode --pcap`: captures read by libpcap (ctypes), packets, TCP order, framing presets
  compat    `check --against`: changes that break old decoders or encoders
"""

__version__ = "0.1.0"
