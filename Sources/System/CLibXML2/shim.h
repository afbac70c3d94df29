#ifndef BANDCAMP_TRACKER_CLIBXML2_SHIM_H
#define BANDCAMP_TRACKER_CLIBXML2_SHIM_H

// libxml2's headers pull in ICU's when LIBXML_ICU_ENABLED is set, and ICU's
// clash with the copy inside Foundation. We never use libxml2's ICU encoders.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

static inline int bt_libxml_version(void) { return LIBXML_VERSION; }

// xmlFree is a global function pointer, which Swift 6 treats as shared mutable state.
static inline void bt_xml_free(void *pointer) { xmlFree(pointer); }

#endif
