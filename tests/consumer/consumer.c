/* A tiny program built against an installed gsconv (find_package and pkg-config). */
#include <gsconv.h>
#include <stdio.h>

int main(void)
{
    gsconv_problem p;
    if (gsconv_problem_parse(&p, "g2mb1ic4ih5oc4oh5kh3ph1sg2") != GSCONV_OK) {
        fprintf(stderr, "%s\n", gsconv_last_error());
        return 1;
    }
    float src[100], wei[72], dst[100], ref[100];
    for (int i = 0; i < 100; i++) src[i] = (float)(i % 7) - 3;
    for (int i = 0; i < 72; i++) wei[i] = (float)(i % 5) - 2;
    gsconv_plan *plan;
    if (gsconv_plan_create(&plan, &p, NULL) || gsconv_plan_set_weights(plan, wei, NULL) ||
        gsconv_plan_execute(plan, src, dst)) {
        fprintf(stderr, "%s\n", gsconv_last_error());
        return 1;
    }
    gsconv_reference_conv(&p, src, wei, NULL, ref);
    for (int i = 0; i < 100; i++)
        if (dst[i] != ref[i]) return 1;
    printf("consumer ok: %s, %d variants\n", gsconv_plan_variant(plan), gsconv_variant_count());
    gsconv_plan_destroy(plan);
    return 0;
}
