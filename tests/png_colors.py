#!/usr/bin/python3
"""Is a PNG screenshot a rendered page and not blank? Decodes the PNG with zlib alone
(8-bit RGB/RGBA/grey, non-interlaced: what Chromium writes) and prints the number of
distinct colours and the share of non-white pixels. Exit 0 if the picture has at least
MIN_COLORS colours and MIN_INK of its pixels are not white, else 1.

usage: png_colors.py FILE.png [MIN_COLORS=16] [MIN_INK=0.01]
"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, ctype, _, _, interlace = hdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {ctype}, interlace {interlace})")
    raw = zlib.decompress(idat)
    stride, bpp = width * channels, channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def main():
    path = sys.argv[1]
    min_colors = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    min_ink = float(sys.argv[3]) if len(sys.argv) > 3 else 0.01
    width, height, ch, rows = decode(path)
    colors, ink = set(), 0
    for r in rows:
        for x in range(0, len(r), ch):
            px = r[x:x + min(ch, 3)]
            colors.add(px)
            if px != b"\xff" * len(px):
                ink += 1
    share = ink / (width * height)
    print(f"{path}: {width}x{height}, {len(colors)} colours, {share:.1%} non-white")
    return 0 if len(colors) >= min_colors and share >= min_ink else 1


if __name__ == "__main__":
    sys.exit(main())
