#!/usr/bin/env python3
"""Which NVIDIA GPUs can run an ND4J CUDA build: reads libnd4jcuda.so (inside the nd4j-cuda jar, or given as a
file) and prints the CUDA libraries it links, the GPU architectures it carries machine code (cubin) for, whether
it carries PTX (which the driver can compile for newer GPUs), and, for each GPU that nvidia-smi lists (or each
--cc given), whether that GPU can run it.

A cubin built for sm_XY runs on GPUs of compute capability X.Z with Z >= Y; PTX for compute_XY runs on any GPU of
compute capability XY or above. Without PTX, a GPU of a newer major architecture than the newest cubin cannot run
the library's kernels at all.

Usage: deploy/gpu/cuda-archs.py [JAR_OR_SO] [--cc 9.0 ...]
  default JAR_OR_SO: the -Pcuda build's native jar in the local Maven repository
  (nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64-cudnn.jar). Python's standard library only.
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

DEFAULT_JAR = os.path.expanduser(
    "~/.m2/repository/org/nd4j/nd4j-cuda-11.6/1.0.0-M2.1/nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64-cudnn.jar")
FATBIN_MAGIC = 0xBA55ED50


def elf_sections(f):
    """(name -> (offset, size)) of a 64-bit little-endian ELF file, and its DT_NEEDED libraries."""
    f.seek(0)
    ident = f.read(64)
    if ident[:4] != b"\x7fELF" or ident[4] != 2 or ident[5] != 1:
        sys.exit("not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", ident, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", ident, 0x3A)
    f.seek(shoff)
    raw = f.read(shentsize * shnum)
    headers = [struct.unpack_from("<IIQQQQIIQQ", raw, i * shentsize) for i in range(shnum)]
    f.seek(headers[shstrndx][4])
    names = f.read(headers[shstrndx][5])
    sections = {}
    for h in headers:
        name = names[h[0]:names.index(b"\0", h[0])].decode()
        sections[name] = (h[4], h[5], h[1])
    needed = []
    if ".dynamic" in sections and ".dynstr" in sections:
        off, size, _ = sections[".dynamic"]
        f.seek(off)
        dyn = f.read(size)
        f.seek(sections[".dynstr"][0])
        dynstr = f.read(sections[".dynstr"][1])
        for i in range(0, len(dyn), 16):
            tag, val = struct.unpack_from("<qQ", dyn, i)
            if tag == 1:  # DT_NEEDED
                needed.append(dynstr[val:dynstr.index(b"\0", val)].decode())
    return sections, needed


def fatbin_targets(f, offset, size):
    """Sets of SM numbers (e.g. 86) with cubins and with PTX in an .nv_fatbin section."""
    cubins, ptx = set(), set()
    f.seek(offset)
    data = f.read(size)
    p = 0
    while p + 16 <= len(data):
        magic, _, header_size, body_size = struct.unpack_from("<IHHQ", data, p)
        if magic != FATBIN_MAGIC:
            p += 8  # containers are 8-byte aligned
            continue
        q, end = p + header_size, p + header_size + body_size
        while q + 32 <= end:
            kind, _, entry_header, entry_size = struct.unpack_from("<HHIQ", data, q)
            arch, = struct.unpack_from("<I", data, q + 28)
            (ptx if kind == 1 else cubins).add(arch)
            q += entry_header + entry_size
        p = end
    return cubins, ptx


def runs_on(cc, cubins, ptx):
    major, minor = (int(x) for x in cc.split("."))
    sm = major * 10 + minor
    if any(a // 10 == major and a % 10 <= minor for a in cubins):
        return "yes (cubin)"
    if any(a <= sm for a in ptx):
        return "yes (PTX, compiled by the driver at first use)"
    return "no: no cubin for sm_%dx and no PTX" % major


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=DEFAULT_JAR)
    parser.add_argument("--cc", action="append", default=[], help="a compute capability to check, e.g. 9.0")
    args = parser.parse_args()
    if not os.path.exists(args.path):
        sys.exit(f"{args.path}: no such file (build with -Pcuda once, or name the jar or libnd4jcuda.so)")
    tmp = None
    path = args.path
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as jar:
            members = [m for m in jar.namelist() if m.endswith("/libnd4jcuda.so")]
            if not members:
                sys.exit(f"{path}: holds no libnd4jcuda.so")
            tmp = tempfile.mkdtemp()
            with jar.open(members[0]) as src, open(os.path.join(tmp, "lib.so"), "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 24)
            path = os.path.join(tmp, "lib.so")
            print(f"{args.path}: {members[0]}")
    try:
        with open(path, "rb") as f:
            sections, needed = elf_sections(f)
            if ".nv_fatbin" not in sections:
                sys.exit(f"{path}: no .nv_fatbin section (no GPU code)")
            off, size, _ = sections[".nv_fatbin"]
            cubins, ptx = fatbin_targets(f, off, size)
    finally:
        if tmp:
            shutil.rmtree(tmp)
    print("links:", " ".join(n for n in needed if n.startswith(("libcu", "libnv"))))
    print("cubins: " + (" ".join("sm_%d" % a for a in sorted(cubins)) or "none"))
    print("PTX: " + (" ".join("compute_%d" % a for a in sorted(ptx)) or "none"))
    gpus = [("a GPU", cc) for cc in args.cc]
    if not args.cc and shutil.which("nvidia-smi"):
        out = subprocess.run(["nvidia-smi", "--query-gpu=name,compute_cap", "--format=csv,noheader"],
                             capture_output=True, text=True)
        gpus = [tuple(x.strip() for x in line.rsplit(",", 1)) for line in out.stdout.splitlines() if "," in line]
    for name, cc in gpus:
        print(f"{name} (compute capability {cc}): {runs_on(cc, cubins, ptx)}")


if __name__ == "__main__":
    main()
