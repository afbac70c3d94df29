#ifndef BANDCAMP_TRACKER_CHARU_SHIM_H
#define BANDCAMP_TRACKER_CHARU_SHIM_H

// libharu (Debian's libhpdf-dev): PDF documents, TrueType fonts, UTF-8 text.
#include <hpdf.h>

#endif
