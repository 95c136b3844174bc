#ifndef MODELINT_ALLOCATOR_H
#define MODELINT_ALLOCATOR_H

#include <stdbool.h>
#include <stddef.h>

/// True when the size-class allocator serves this process's small allocations (it replaces malloc
/// for the whole process when this target is linked in; `MODELINT_MALLOC=system` turns it off).
bool modelint_allocator_is_active(void);

/// True when `pointer` came from the size-class allocator (not from glibc's malloc).
bool modelint_allocator_owns(const void *pointer);

#endif
