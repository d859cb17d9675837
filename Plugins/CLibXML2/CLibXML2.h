#ifndef ANVIL_CLIBXML2_H
#define ANVIL_CLIBXML2_H

// Debian's libxml2 is built with ICU, so <libxml/encoding.h> includes the system's <unicode/ucnv.h>. Foundation
// carries its own, newer ICU headers (module _FoundationICU), and Clang refuses a Swift module that sees both
// definitions of UErrorCode. Nothing here uses libxml2's ICU converters; hiding the flag only drops two pointer
// fields from the end of xmlCharEncodingHandler, a struct we never touch, so libxml2's behaviour is unchanged.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#endif
