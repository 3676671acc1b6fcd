/*
 * Descriptor parsing and formatting: benchdnn's fields and defaults, gsconv's sg,
 * canonical round trips, validation reasons, and malformed strings.
 */
#include <string.h>

#include "check.h"
#include "kernel.h"

typedef struct {
    const char *desc;
    int64_t n, c, h, w, k, g, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, sg;
    const char *canonical;
} parse_case;

static const parse_case cases[] = {
    /* benchdnn defaults: g 1, mb 2, stride 1, pad 0 (no output given), square */
    {"ic3ih5oc4kh3", 2, 3, 5, 5, 4, 1, 3, 3, 1, 1, 0, 0, 0, 0, 3, 3, 1, "g1mb2ic3ih5oc4oh3kh3"},
    /* output given, padding computed from it */
    {"g32mb1ic128ih56oc128oh56kh3", 1, 128, 56, 56, 128, 32, 3, 3, 1, 1, 1, 1, 0, 0, 56, 56, 1,
     "g32mb1ic128ih56oc128oh56kh3ph1"},
    {"g32mb1ic128ih56oc128oh56kh3ph1", 1, 128, 56, 56, 128, 32, 3, 3, 1, 1, 1, 1, 0, 0, 56, 56, 1,
     "g32mb1ic128ih56oc128oh56kh3ph1"},
    /* shuffle */
    {"g3mb1ic240ih28oc240oh28kh1sg3", 1, 240, 28, 28, 240, 3, 1, 1, 1, 1, 0, 0, 0, 0, 28, 28, 3,
     "g3mb1ic240ih28oc240oh28kh1sg3"},
    /* stride 2 with output: pad computed ((14-1)*2 - 28 + 3)/2 = 0 */
    {"g120mb1ic120ih28oc120oh14kh3sh2ph1", 1, 120, 28, 28, 120, 120, 3, 3, 2, 2, 1, 1, 0, 0, 14,
     14, 1, "g120mb1ic120ih28oc120oh14kh3sh2ph1"},
    /* stride 2, no output: out = (28 + 2 - 3)/2 + 1 = 14 */
    {"mb1ic8ih28oc8kh3sh2ph1", 1, 8, 28, 28, 8, 1, 3, 3, 2, 2, 1, 1, 0, 0, 14, 14, 1,
     "g1mb1ic8ih28oc8oh14kh3sh2ph1"},
    /* dilation, benchdnn convention (dh1 = one gap), extent 5 */
    {"mb1ic4ih10oc4kh3ph2dh1", 1, 4, 10, 10, 4, 1, 3, 3, 1, 1, 2, 2, 1, 1, 10, 10, 1,
     "g1mb1ic4ih10oc4oh10kh3ph2dh1"},
    /* dh0 is dense: same as no dilation */
    {"mb1ic4ih10oc4kh3ph1dh0", 1, 4, 10, 10, 4, 1, 3, 3, 1, 1, 1, 1, 0, 0, 10, 10, 1,
     "g1mb1ic4ih10oc4oh10kh3ph1"},
    /* non-square everything: all w fields printed */
    {"mb1ic4ih10iw12oc6oh10ow10kh3kw5ph1pw1", 1, 4, 10, 12, 6, 1, 3, 5, 1, 1, 1, 1, 0, 0, 10, 10,
     1, "g1mb1ic4ih10iw12oc6oh10ow10kh3kw5sh1sw1ph1pw1dh0dw0"},
    /* iw given only: ow computed with pw = ph */
    {"mb1ic4ih10iw20oc6kh3ph1", 1, 4, 10, 20, 6, 1, 3, 3, 1, 1, 1, 1, 0, 0, 10, 20, 1,
     "g1mb1ic4ih10iw20oc6oh10ow20kh3kw3sh1sw1ph1pw1dh0dw0"},
    /* sw, pw, dw individually */
    {"mb1ic2ih9oc2kh3sw2", 1, 2, 9, 9, 2, 1, 3, 3, 1, 2, 0, 0, 0, 0, 7, 4, 1,
     "g1mb1ic2ih9iw9oc2oh7ow4kh3kw3sh1sw2ph0pw0dh0dw0"},
    {"mb1ic2ih9oc2kh3pw1", 1, 2, 9, 9, 2, 1, 3, 3, 1, 1, 0, 1, 0, 0, 7, 9, 1,
     "g1mb1ic2ih9iw9oc2oh7ow9kh3kw3sh1sw1ph0pw1dh0dw0"},
    {"mb1ic2ih9oc2kh3dw1", 1, 2, 9, 9, 2, 1, 3, 3, 1, 1, 0, 0, 0, 1, 7, 5, 1,
     "g1mb1ic2ih9iw9oc2oh7ow5kh3kw3sh1sw1ph0pw0dh0dw1"},
    /* underscores ignored, name label ignored */
    {"g2mb1_ic4ih6_oc4oh6_kh3ph1_nmy_layer", 1, 4, 6, 6, 4, 2, 3, 3, 1, 1, 1, 1, 0, 0, 6, 6, 1,
     "g2mb1ic4ih6oc4oh6kh3ph1"},
    /* any field order */
    {"kh3oc4ic4ih6mb1g2ph1", 1, 4, 6, 6, 4, 2, 3, 3, 1, 1, 1, 1, 0, 0, 6, 6, 1,
     "g2mb1ic4ih6oc4oh6kh3ph1"},
    /* output given with pad 0 where the computed default would differ: ph0 kept */
    {"mb1ic1ih5oc1oh3kh3ph0", 1, 1, 5, 5, 1, 1, 3, 3, 1, 1, 0, 0, 0, 0, 3, 3, 1,
     "g1mb1ic1ih5oc1oh3kh3"},
    {"mb1ic1ih6oc1oh6kh3ph0", 1, 1, 6, 6, 1, 1, 3, 3, 1, 1, 0, 0, 0, 0, 6, 6, 1,
     "g1mb1ic1ih6oc1oh6kh3ph0"},
    /* asymmetric (TF "same") padding: right padding 1 implied by oh */
    {"mb1ic3ih224oc24oh112kh3sh2ph0", 1, 3, 224, 224, 24, 1, 3, 3, 2, 2, 0, 0, 0, 0, 112, 112, 1,
     "g1mb1ic3ih224oc24oh112kh3sh2"},
    /* 1-D: only w fields */
    {"mb1ic4iw17oc4kw3", 1, 4, 1, 17, 4, 1, 1, 3, 1, 1, 0, 0, 0, 0, 1, 15, 1,
     "g1mb1ic4ih1iw17oc4oh1ow15kh1kw3sh1sw1ph0pw0dh0dw0"},
};

static const char *const malformed[] = {
    "",                                   /* empty */
    "g",                                  /* field without number */
    "xyz",                                /* unknown */
    "ic3ih5kh3",                          /* oc missing */
    "oc3ih5kh3",                          /* ic missing */
    "ic3oc3kh3",                          /* no input size */
    "ic3ih5oc3",                          /* no kernel */
    "ic3ih5oc3kh3ic3",                    /* duplicate */
    "ic3ih5oc3kh3id4",                    /* 3-D field */
    "ic3ih5oc3kh3kd3",                    /* 3-D field */
    "ic3ih5oc3kh3sd2",                    /* 3-D field */
    "ic-3ih5oc3kh3",                      /* negative */
    "ic3ih5oc3kh3sh0",                    /* zero stride */
    "ic0ih5oc3kh3",                       /* zero channels */
    "g0ic3ih5oc3kh3",                     /* zero groups */
    "g2ic3ih5oc4kh3",                     /* ic % g */
    "g2ic4ih5oc3kh3",                     /* oc % g */
    "ic4ih5oc6kh3sg4",                    /* oc % sg */
    "ic4ih5oc6kh3sg0",                    /* zero sg */
    "ic3ih2oc3kh3",                       /* kernel larger than input */
    "ic3ih5oc3kh3ph3",                    /* padding >= kernel */
    "ic3ih5oc3oh9kh3",                    /* output inconsistent */
    "ic3ih5oc3oh1kh3ph1",                 /* output too small for padding */
    "ic3ih99999999999999999999oc3kh3",    /* strtoll overflow */
    "ic3ih3000000000oc3kh3",              /* > INT32_MAX */
    "mb2147483647ic2147483647ih2147483647oc1kh1", /* element count overflow */
    "ic3ih5oc3kh3 ",                      /* trailing space */
    " ic3ih5oc3kh3",                      /* leading space */
    "ic3ih5oc3kh3xx",                     /* trailing junk */
    "ic3ih5oc3kh3.5",                     /* decimal */
    "ic3ih5oc3kh+3",                      /* explicit sign */
    "IC3IH5OC3KH3",                       /* upper case */
    "ic3ih5oc3kh3dh-1",                   /* negative dilation */
    "ic3ih5oc3kh3ph-1",                   /* negative padding */
    "ic3ih5oc3oh0kh3",                    /* zero output */
    "ic3ih5oc3kh3sg",                     /* sg without value */
    "ic3oh5oc3kh3",                       /* h fields without ih */
    "ic3iw5oc3",                          /* 1-D without kw */
    "g2147483648ic2oc2ih2kh1",            /* g > INT32_MAX */
    "ic3ih5oc3kh3dh2147483647",           /* dilated extent overflow */
};

static void test_parse_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const parse_case *t = &cases[i];
        gsconv_problem p;
        gsconv_status s = gsconv_problem_parse(&p, t->desc);
        CHECK(s == GSCONV_OK, "parse '%s' failed: %s", t->desc, gsconv_last_error());
        if (s) continue;
        const int64_t got[] = {p.n, p.c, p.h, p.w, p.k, p.g, p.kh, p.kw, p.sh,
                               p.sw, p.ph, p.pw, p.dh, p.dw, p.oh, p.ow, p.sg};
        const int64_t want[] = {t->n, t->c, t->h, t->w, t->k, t->g, t->kh, t->kw, t->sh,
                                t->sw, t->ph, t->pw, t->dh, t->dw, t->oh, t->ow, t->sg};
        static const char *const names[] = {"mb", "ic", "ih", "iw", "oc", "g", "kh", "kw", "sh",
                                            "sw", "ph", "pw", "dh", "dw", "oh", "ow", "sg"};
        for (size_t f = 0; f < sizeof got / sizeof got[0]; f++)
            CHECK(got[f] == want[f], "parse '%s': %s = %lld, want %lld", t->desc, names[f],
                  (long long)got[f], (long long)want[f]);
        char buf[256];
        int len = gsconv_problem_format(&p, buf, sizeof buf);
        CHECK(strcmp(buf, t->canonical) == 0, "format '%s' = '%s', want '%s'", t->desc, buf,
              t->canonical);
        CHECK(len == (int)strlen(buf), "format length %d != %zu", len, strlen(buf));
        /* round trip: parse(format(p)) == p, and format is a fixed point */
        gsconv_problem q;
        CHECK(gsconv_problem_parse(&q, buf) == GSCONV_OK, "reparse '%s': %s", buf,
              gsconv_last_error());
        CHECK(memcmp(&p, &q, sizeof p) == 0, "round trip of '%s' via '%s' changed the problem",
              t->desc, buf);
        char buf2[256];
        gsconv_problem_format(&q, buf2, sizeof buf2);
        CHECK(strcmp(buf, buf2) == 0, "format not a fixed point: '%s' -> '%s'", buf, buf2);
    }
}

static void test_malformed(void)
{
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        gsconv_problem p;
        memset(&p, 0x5a, sizeof p);
        gsconv_problem before = p;
        gsconv_status s = gsconv_problem_parse(&p, malformed[i]);
        CHECK(s == GSCONV_ERR_BAD_DESCRIPTOR || s == GSCONV_ERR_BAD_SHAPE ||
                  s == GSCONV_ERR_OVERFLOW,
              "malformed '%s' gave status %d", malformed[i], (int)s);
        const char *msg = gsconv_last_error();
        CHECK(msg[0] != '\0' && strchr(msg, '\n') == NULL,
              "malformed '%s': message must be one non-empty line, got '%s'", malformed[i], msg);
        CHECK(memcmp(&p, &before, sizeof p) == 0, "malformed '%s' modified the output",
              malformed[i]);
    }
    CHECK(sizeof malformed / sizeof malformed[0] >= 30, "need at least 30 malformed strings");
    CHECK(gsconv_problem_parse(NULL, "ic1ih1oc1kh1") == GSCONV_ERR_INVALID_ARGUMENT, "NULL p");
    gsconv_problem p;
    CHECK(gsconv_problem_parse(&p, NULL) == GSCONV_ERR_INVALID_ARGUMENT, "NULL desc");
}

/* Round trips over a grid of field values, through format and parse. */
static void test_round_trip_grid(void)
{
    int checked = 0;
    for (int64_t h = 1; h <= 9; h += 4)
        for (int64_t w = 1; w <= 9; w += 4)
            for (int64_t kh = 1; kh <= 3; kh += 2)
                for (int64_t kw = 1; kw <= 3; kw += 2)
                    for (int64_t s = 1; s <= 2; s++)
                        for (int64_t pad = 0; pad <= 1; pad++)
                            for (int64_t d = 0; d <= 1; d++) {
                                gsconv_problem p;
                                gsconv_problem_init(&p, 2, 6, h, w, 12, 3, kh, kw, s, 3 - s, pad,
                                                    pad, d, 0);
                                p.sg = 2;
                                if (gsconv_problem_check(&p, NULL, 0) != GSCONV_OK) continue;
                                char buf[256];
                                gsconv_problem_format(&p, buf, sizeof buf);
                                gsconv_problem q;
                                gsconv_status st = gsconv_problem_parse(&q, buf);
                                CHECK(st == GSCONV_OK && memcmp(&p, &q, sizeof p) == 0,
                                      "grid round trip via '%s' failed (%s)", buf,
                                      gsconv_last_error());
                                checked++;
                            }
    CHECK(checked > 100, "grid covered only %d problems", checked);
}

static void test_validate_and_sizes(void)
{
    gsconv_problem p;
    gsconv_problem_init(&p, 2, 8, 10, 12, 16, 4, 3, 3, 1, 1, 1, 1, 0, 0);
    CHECK(gsconv_problem_validate(&p) == GSCONV_OK, "valid: %s", gsconv_last_error());
    CHECK(gsconv_problem_src_elems(&p) == 2 * 8 * 10 * 12, "src elems");
    CHECK(gsconv_problem_wei_elems(&p) == 16 * 2 * 3 * 3, "wei elems");
    CHECK(gsconv_problem_dst_elems(&p) == 2 * 16 * 10 * 12, "dst elems");
    CHECK(gsconv_problem_flops(&p) == 2.0 * 2 * 16 * 10 * 12 * 2 * 9, "flops");
    p.layout = (gsconv_layout)7;
    CHECK(gsconv_problem_validate(&p) == GSCONV_ERR_BAD_SHAPE, "bad layout rejected");
    p.layout = GSCONV_NHWC;
    p.act = (gsconv_activation)9;
    CHECK(gsconv_problem_validate(&p) == GSCONV_ERR_BAD_SHAPE, "bad activation rejected");
    p.act = GSCONV_ACT_RELU;
    p.sg = 3;
    CHECK(gsconv_problem_validate(&p) == GSCONV_ERR_BAD_SHAPE &&
              strstr(gsconv_last_error(), "sg") != NULL,
          "k %% sg reason: %s", gsconv_last_error());
    CHECK(gsconv_problem_validate(NULL) == GSCONV_ERR_INVALID_ARGUMENT, "NULL problem");
    /* status strings exist for every code */
    for (int s = GSCONV_OK; s <= GSCONV_ERR_INTERNAL; s++)
        CHECK(strcmp(gsconv_status_string((gsconv_status)s), "unknown status") != 0, "status %d",
              s);
    /* ISA names parse back */
    const gsconv_isa isas[] = {GSCONV_ISA_SCALAR, GSCONV_ISA_AVX2, GSCONV_ISA_AVX512,
                               GSCONV_ISA_NEON};
    for (size_t i = 0; i < 4; i++) {
        gsconv_isa back;
        CHECK(gsconv_isa_parse(gsconv_isa_name(isas[i]), &back) == GSCONV_OK && back == isas[i],
              "isa %s round trip", gsconv_isa_name(isas[i]));
    }
    gsconv_isa x;
    CHECK(gsconv_isa_parse("sse9", &x) == GSCONV_ERR_INVALID_ARGUMENT, "bad isa");
    /* the cap keeps lower ISAs and never raises */
    CHECK(gsconv_isa_cap(GSCONV_ISA_AVX512, GSCONV_ISA_AVX2) == GSCONV_ISA_AVX2, "cap 512->2");
    CHECK(gsconv_isa_cap(GSCONV_ISA_AVX2, GSCONV_ISA_AVX512) == GSCONV_ISA_AVX2, "cap 2->512");
    CHECK(gsconv_isa_cap(GSCONV_ISA_AVX512, GSCONV_ISA_SCALAR) == GSCONV_ISA_SCALAR, "cap scalar");
    CHECK(gsconv_isa_cap(GSCONV_ISA_NEON, GSCONV_ISA_AVX2) == GSCONV_ISA_SCALAR, "cap neon/avx2");
    CHECK(gsconv_isa_cap(GSCONV_ISA_AVX2, GSCONV_ISA_BEST) == GSCONV_ISA_AVX2, "cap best");
    /* registry: row 0 is ref, names unique, lookups work */
    CHECK(gsconv_variant_count() >= 1 && strcmp(gsconv_variant_name(0), "ref") == 0, "row 0 ref");
    for (int i = 0; i < gsconv_variant_count(); i++) {
        CHECK(gsconv_variant_find(gsconv_variant_name(i)) == i, "find %s", gsconv_variant_name(i));
        const char *nm = gsconv_variant_name(i);
        const char *sep = strstr(nm, "__");
        CHECK(i == 0 || (sep && strcmp(sep + 2, gsconv_isa_name(gsconv_variant_isa(i))) == 0),
              "variant %s: the part after __ must name its ISA", nm);
    }
    CHECK(gsconv_variant_name(-1) == NULL && gsconv_variant_name(gsconv_variant_count()) == NULL,
          "out of range name");
    CHECK(gsconv_variant_find("nope") == -1, "find unknown");
    char why[128] = "";
    gsconv_problem_init(&p, 1, 4, 5, 5, 4, 1, 3, 3, 1, 1, 1, 1, 0, 0);
    CHECK(gsconv_variant_applicable(0, &p, why, sizeof why) == GSCONV_OK, "ref applicable");
    CHECK(gsconv_variant_applicable(-1, &p, why, sizeof why) == GSCONV_ERR_UNKNOWN_VARIANT,
          "bad index");
    p.k = 5;
    p.g = 2;
    CHECK(gsconv_variant_applicable(0, &p, why, sizeof why) == GSCONV_ERR_NOT_APPLICABLE &&
              why[0],
          "invalid problem is not applicable, with a reason");
    /* format into a short buffer truncates safely and reports the full length */
    gsconv_problem_init(&p, 1, 4, 5, 5, 4, 1, 3, 3, 1, 1, 1, 1, 0, 0);
    char small[8];
    int need = gsconv_problem_format(&p, small, sizeof small);
    CHECK(need > 7 && strlen(small) == 7, "truncation: need %d, got '%s'", need, small);
    CHECK(gsconv_problem_format(&p, NULL, 0) == need, "NULL buffer length query");
}

int main(void)
{
    test_parse_cases();
    test_malformed();
    test_round_trip_grid();
    test_validate_and_sizes();
    return check_summary("test_problem");
}
