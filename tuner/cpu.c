/*
 * CPU topology through hwloc: the physical core count that is the default thread count.
 */
#include <hwloc.h>
#include <pthread.h>

#include "gsconv.h"

static int cores = 1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
    hwloc_topology_t topo;
    if (hwloc_topology_init(&topo) != 0) return;
    if (hwloc_topology_load(topo) == 0) {
        int n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
        if (n < 1) n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
        if (n >= 1) cores = n;
    }
    hwloc_topology_destroy(topo);
}

int gsconv_physical_cores(void)
{
    pthread_once(&once, init);
    return cores;
}
