#ifndef BANDCAMP_TRACKER_GLIBC_COMPAT_H
#define BANDCAMP_TRACKER_GLIBC_COMPAT_H

// See hypotf.c: this target only defines symbols, so that a bootstrap built against Debian 12's glibc (2.36)
// needs no symbol newer than Amazon Linux 2023's glibc (2.34). Nothing here is meant to be called by name, so
// this header declares nothing.

#endif
