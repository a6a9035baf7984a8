#ifndef EMOSCAN_CFUZZER_H
#define EMOSCAN_CFUZZER_H
#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver, called from a main of our own: SwiftPM renames an executable's entry
// point (so that tests can link it), so libFuzzer's own main cannot be the program's.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
