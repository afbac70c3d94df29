#ifndef BANDCAMP_TRACKER_CLIBPQ_SHIM_H
#define BANDCAMP_TRACKER_CLIBPQ_SHIM_H

#include <libpq-fe.h>

#endif
