"""Independent NumPy model of a gsconv convolution, for tests/test_cli.sh.

Written from the definition, not from the library: grouped 2-D convolution with
stride, top/left padding (the bottom/right padding is whatever the output size
implies), benchdnn dilation (d = 0 is a dense kernel, taps are d + 1 apart), bias,
ReLU, then PyTorch's channel_shuffle(x, sg):
x.reshape(n, sg, k // sg, h, w).transpose(0, 2, 1, 3, 4).

Subcommands (all exit 0 on success, 1 on a failed comparison, 2 on misuse):
  case DIR LAYOUT ACT BIAS n c h w k g kh kw sh sw ph pw dh dw sg SEED [VSRC VWEI]
      write DIR/src.npy, wei.npy, [bias.npy], expected.npy (float32, in LAYOUT) and
      print the fully explicit descriptor; VSRC/VWEI: .npy format versions (1, 2, 3)
  compare EXPECTED GOT TOL
      shapes equal, GOT is '<f4' C-order, max|got-exp| / max|exp| <= TOL
  json-keys KEY...   read one JSON object from stdin, all KEYs present
  bad DIR            write malformed inputs for the descriptor g1mb1ic3ih5iw6oc4kh3
"""
import json
import sys

import numpy as np


def conv2d(x, wt, b, sh, sw, ph, pw, dh, dw, oh, ow, g):
    """x: (n, c, h, w), wt: (k, c/g, kh, kw), b: (k,) or None -> (n, k, oh, ow) float64."""
    x = x.astype(np.float64)
    wt = wt.astype(np.float64)
    n, c, h, w = x.shape
    k, cg, kh, kw = wt.shape
    assert c == cg * g and k % g == 0
    kg = k // g
    span_h = (oh - 1) * sh + (kh - 1) * (dh + 1) + 1
    span_w = (ow - 1) * sw + (kw - 1) * (dw + 1) + 1
    xp = np.zeros((n, c, max(span_h, ph + h), max(span_w, pw + w)))
    xp[:, :, ph:ph + h, pw:pw + w] = x
    y = np.zeros((n, k, oh, ow))
    for i in range(kh):
        for j in range(kw):
            y0, x0 = i * (dh + 1), j * (dw + 1)
            patch = xp[:, :, y0:y0 + (oh - 1) * sh + 1:sh, x0:x0 + (ow - 1) * sw + 1:sw]
            for gi in range(g):
                y[:, gi * kg:(gi + 1) * kg] += np.einsum(
                    'nchw,kc->nkhw', patch[:, gi * cg:(gi + 1) * cg],
                    wt[gi * kg:(gi + 1) * kg, :, i, j])
    if b is not None:
        y += b.astype(np.float64)[None, :, None, None]
    return y


def channel_shuffle(y, sg):
    n, k, h, w = y.shape
    return y.reshape(n, sg, k // sg, h, w).transpose(0, 2, 1, 3, 4).reshape(n, k, h, w)


def save(path, a, version):
    a = np.ascontiguousarray(a, dtype='<f4')
    with open(path, 'wb') as f:
        np.lib.format.write_array(f, a, version=(version, 0), allow_pickle=False)


def cmd_case(args):
    d, layout, act, with_bias = args[0], args[1], args[2], args[3] == 'bias'
    n, c, h, w, k, g, kh, kw, sh, sw, ph, pw, dh, dw, sg, seed = map(int, args[4:20])
    vsrc, vwei = (int(args[20]), int(args[21])) if len(args) > 20 else (1, 1)
    oh = (h + 2 * ph - ((kh - 1) * (dh + 1) + 1)) // sh + 1
    ow = (w + 2 * pw - ((kw - 1) * (dw + 1) + 1)) // sw + 1
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, c, h, w)).astype('<f4')
    wt = rng.uniform(-1, 1, (k, c // g, kh, kw)).astype('<f4')
    b = rng.uniform(-1, 1, (k,)).astype('<f4') if with_bias else None
    y = conv2d(x, wt, b, sh, sw, ph, pw, dh, dw, oh, ow, g)
    if act == 'relu':
        y = np.maximum(y, 0)
    y = channel_shuffle(y, sg)
    if layout == 'nhwc':
        x = x.transpose(0, 2, 3, 1)
        y = y.transpose(0, 2, 3, 1)
    save(f'{d}/src.npy', x, vsrc)
    save(f'{d}/wei.npy', wt, vwei)
    if with_bias:
        save(f'{d}/bias.npy', b, 1)
    save(f'{d}/expected.npy', y, 1)
    print(f'g{g}mb{n}ic{c}ih{h}iw{w}oc{k}oh{oh}ow{ow}kh{kh}kw{kw}'
          f'sh{sh}sw{sw}ph{ph}pw{pw}dh{dh}dw{dw}sg{sg}')
    return 0


def cmd_compare(args):
    exp = np.load(args[0])
    with open(args[1], 'rb') as f:
        version = np.lib.format.read_magic(f)
        shape, fortran, dtype = np.lib.format._read_array_header(f, version)
        header_end = f.tell()
    got = np.load(args[1])
    tol = float(args[2])
    problems = []
    if dtype != np.dtype('<f4') or fortran:
        problems.append(f'output dtype {dtype} fortran {fortran}')
    if header_end % 64:
        problems.append(f'output header ends at {header_end}, not a multiple of 64')
    if version != (1, 0):
        problems.append(f'output version {version}, expected (1, 0)')
    if got.shape != exp.shape:
        problems.append(f'shape {got.shape} != expected {exp.shape}')
    else:
        e = exp.astype(np.float64)
        diff = np.abs(got.astype(np.float64) - e).max()
        rel = diff / max(np.abs(e).max(), np.finfo(np.float64).tiny)
        if not rel <= tol:
            problems.append(f'max rel err {rel:.3g} > {tol:g} (max abs err {diff:.3g})')
    for p in problems:
        print(p)
    return 1 if problems else 0


def cmd_json_keys(args):
    try:
        obj = json.loads(sys.stdin.read())
    except ValueError as e:
        print(f'not JSON: {e}')
        return 1
    missing = [k for k in args if k not in obj]
    if not isinstance(obj, dict) or missing:
        print(f'missing keys: {missing}')
        return 1
    print(json.dumps(obj))
    return 0


def write_raw(path, header, data):
    h = header.encode('latin1')
    with open(path, 'wb') as f:
        f.write(b'\x93NUMPY\x01\x00' + len(h).to_bytes(2, 'little') + h + data)


def cmd_bad(args):
    d = args[0]
    rng = np.random.default_rng(7)
    good_src = rng.uniform(-1, 1, (1, 3, 5, 6)).astype('<f4')
    good_wei = rng.uniform(-1, 1, (4, 3, 3, 3)).astype('<f4')
    save(f'{d}/good_src.npy', good_src, 1)
    save(f'{d}/good_wei.npy', good_wei, 1)
    save(f'{d}/shape_src.npy', good_src[:, :, :, :5], 1)
    save(f'{d}/shape_wei.npy', good_wei[:, :2], 1)
    save(f'{d}/shape_bias.npy', np.zeros(5, '<f4'), 1)
    np.save(f'{d}/f8_src.npy', good_src.astype('<f8'))
    np.save(f'{d}/be_src.npy', good_src.astype('>f4'))
    np.save(f'{d}/fortran_src.npy', np.asfortranarray(good_src))
    raw = open(f'{d}/good_wei.npy', 'rb').read()
    open(f'{d}/trunc_wei.npy', 'wb').write(raw[:-5])
    open(f'{d}/extra_wei.npy', 'wb').write(raw + b'\0\0\0\0')
    write_raw(f'{d}/dict_src.npy', "{'descr': '<f4', 'fortran_order': False 'shape': (1, 3, 5, 6)}\n",
              good_src.tobytes())
    return 0


def main(argv):
    cmds = {'case': cmd_case, 'compare': cmd_compare, 'json-keys': cmd_json_keys, 'bad': cmd_bad}
    if len(argv) < 2 or argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    return cmds[argv[1]](argv[2:])


if __name__ == '__main__':
    sys.exit(main(sys.argv))
