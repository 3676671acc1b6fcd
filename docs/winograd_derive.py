#!/usr/bin/env python3
"""Derive the Winograd F(m, 3) transforms used by kernels/wino.inc (exact rationals).

    python3 docs/winograd_derive.py            # the three transforms gsconv uses
    python3 docs/winograd_derive.py 4 0 1 -1 1/2 -2   # any m and finite points (+ infinity)

Toom-Cook with the point at infinity: for finite points p_0 .. p_{a-2} (a = m + 2),
    A^T[i][j] = p_j^i                    (m x a; the infinity column is e_{m-1})
    G[j][k]   = p_j^k / prod_{l!=j}(p_j - p_l)   (a x 3; the infinity row is e_2)
and B^T (a x a) is the unique matrix with  y = A^T [(G g) .* (B^T d)]  equal to the
correlation y_i = sum_k d_{i+k} g_k for every d and g: it is solved for here from that
identity (m*3 equations per column of B^T, consistent and of full rank) and the
identity is then checked exactly. The 2-D transform is the tensor product:
    Y = A^T [ (G g G^T) .* (B^T d B) ] A.

Also printed: rho = max_i (S_i)^2 / 9 with S_i = sum_e |A_ie| (sum_k |G_ek|)
(sum_q |B_eq|), the 2-D amplification of the transforms used by wino_error_factor().
"""
from fractions import Fraction as Fr
import sys


def derive(m, pts, r=3):
    a = m + r - 1
    fin = [Fr(p) for p in pts]
    assert len(fin) == a - 1, f"F({m},{r}) needs {a - 1} finite points"
    AT = [[Fr(0)] * a for _ in range(m)]
    for j, p in enumerate(fin):
        for i in range(m):
            AT[i][j] = p ** i
    AT[m - 1][a - 1] = Fr(1)
    G = [[Fr(0)] * r for _ in range(a)]
    for j, p in enumerate(fin):
        f = Fr(1)
        for l, q in enumerate(fin):
            if l != j:
                f *= p - q
        for k in range(r):
            G[j][k] = p ** k / f
    G[a - 1][r - 1] = Fr(1)
    BT = [[Fr(0)] * a for _ in range(a)]
    for q in range(a):
        rows = [[AT[i][j] * G[j][k] for j in range(a)] for i in range(m) for k in range(r)]
        rhs = [Fr(1 if q == i + k else 0) for i in range(m) for k in range(r)]
        for j, x in enumerate(solve(rows, rhs, a)):
            BT[j][q] = x
    for i in range(m):  # exact check of the identity
        for k in range(r):
            for q in range(a):
                s = sum(AT[i][j] * G[j][k] * BT[j][q] for j in range(a))
                assert s == (1 if q == i + k else 0)
    return AT, G, BT


def solve(rows, rhs, n):
    M = [row[:] + [b] for row, b in zip(rows, rhs)]
    piv, rix = [], 0
    for c in range(n):
        p = next((i for i in range(rix, len(M)) if M[i][c] != 0), None)
        if p is None:
            continue
        M[rix], M[p] = M[p], M[rix]
        M[rix] = [v / M[rix][c] for v in M[rix]]
        for i in range(len(M)):
            if i != rix and M[i][c] != 0:
                f = M[i][c]
                M[i] = [vi - f * vr for vi, vr in zip(M[i], M[rix])]
        piv.append(c)
        rix += 1
    assert len(piv) == n, "points must be distinct"
    assert all(M[i][n] == 0 for i in range(rix, len(M))), "inconsistent"
    x = [Fr(0)] * n
    for i, c in enumerate(piv):
        x[c] = M[i][n]
    return x


def rho(AT, G, BT):
    S = [sum(abs(AT[i][e]) * sum(abs(v) for v in G[e]) * sum(abs(v) for v in BT[e])
             for e in range(len(BT))) for i in range(len(AT))]
    return max(S) ** 2 / 9


def show(name, M):
    print(f"{name} =")
    for row in M:
        print("  [" + " ".join(f"{str(v):>7}" for v in row) + " ]")


if __name__ == "__main__":
    H = Fr(1, 2)
    if len(sys.argv) > 2:
        sets = {int(sys.argv[1]): [Fr(x) for x in sys.argv[2:]]}
    else:
        sets = {2: [0, 1, -1], 4: [0, 1, -1, H, -2], 6: [0, 1, -1, 2, -2, H, -H]}
    for m, pts in sets.items():
        AT, G, BT = derive(m, pts)
        print(f"F({m},3), points {', '.join(str(Fr(p)) for p in pts)}, inf:  rho = {float(rho(AT, G, BT)):.2f}")
        show("A^T", AT)
        show("G", G)
        show("B^T", BT)
        print()
