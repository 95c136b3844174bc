// A size-class allocator that replaces malloc for the whole process (glibc lets a program define
// malloc, free, calloc, realloc and the aligned variants; see the glibc manual, "Replacing malloc").
//
// Why: a check builds and drops millions of small AST nodes, arrays and strings. glibc's malloc spends
// a fifth of the run in its bins (consolidation, unlinking) because its per-thread cache holds only 7
// blocks per size; ruff, the speed reference, ships with jemalloc for the same reason. Third-party
// allocators are not an option (no dependencies), so this is the small part of one we need.
//
// Design: blocks of up to 1 KiB come in 64 classes of 16-byte steps. Each class is carved from 64 KiB
// pages of one reserved address range; a byte per page records its class, so `free` finds a block's
// size without a header. Every thread keeps a free list and a bump page per class in thread-local
// storage: allocation and release are a few instructions and take no lock. A block freed by another
// thread joins that thread's list. Pages are never returned to the system; a check is a short process
// and the trees it drops are rebuilt from the same sizes. Everything else (larger blocks, alignments
// above 16, pointers from before we started or from glibc) goes to glibc's own entry points.
//
// `MODELINT_MALLOC=system` in the environment leaves every allocation to glibc. Elsewhere than glibc
// (macOS) the system allocator stays and this file only answers that it is not active.

#define _GNU_SOURCE
#include "ModelintAllocator.h"

#include <stdlib.h> // defines __GLIBC__ on glibc

#if defined(__linux__) && defined(__GLIBC__)

#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

extern void *__libc_malloc(size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

#define GRANULE 16
#define LARGEST_SMALL 1024
#define CLASS_COUNT (LARGEST_SMALL / GRANULE + 1) // index 0 unused: class k holds k * 16 bytes
#define PAGE_SHIFT 16
#define PAGE_SIZE ((size_t)1 << PAGE_SHIFT)
#define REGION_SIZE ((size_t)32 << 30) // address space only; pages are committed as they are claimed
#define PAGE_COUNT (REGION_SIZE >> PAGE_SHIFT)

enum { UNINITIALISED, INITIALISING, ACTIVE, SYSTEM };

static _Atomic int state = UNINITIALISED;
static _Atomic uintptr_t region_start;
static _Atomic uintptr_t region_span; // 0 until the region exists: then no pointer is ours
static _Atomic size_t next_page;
static uint8_t page_class[PAGE_COUNT];

struct free_block {
    struct free_block *next;
};

#define THREAD_LOCAL __thread __attribute__((tls_model("initial-exec")))
static THREAD_LOCAL struct free_block *free_lists[CLASS_COUNT];
static THREAD_LOCAL uintptr_t bump_next[CLASS_COUNT];
static THREAD_LOCAL uintptr_t bump_end[CLASS_COUNT];

__attribute__((noinline, cold)) static int initialise(void) {
    int expected = UNINITIALISED;
    if (atomic_compare_exchange_strong(&state, &expected, INITIALISING)) {
        // getenv does not allocate; before libc has set up the environment it simply finds nothing.
        const char *choice = getenv("MODELINT_MALLOC");
        int result = SYSTEM;
        if (!(choice && strcmp(choice, "system") == 0)) {
            void *reserved = mmap(NULL, REGION_SIZE + PAGE_SIZE, PROT_NONE,
                                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            if (reserved != MAP_FAILED) {
                uintptr_t aligned = ((uintptr_t)reserved + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
                atomic_store_explicit(&region_start, aligned, memory_order_relaxed);
                atomic_store_explicit(&region_span, REGION_SIZE, memory_order_relaxed);
                result = ACTIVE;
            }
        }
        atomic_store_explicit(&state, result, memory_order_release);
    } else {
        // Only at start-up, while the first allocation sets the region up.
        while (atomic_load_explicit(&state, memory_order_acquire) == INITIALISING) {
        }
    }
    return atomic_load_explicit(&state, memory_order_acquire) == ACTIVE;
}

static inline int is_active(void) {
    int current = atomic_load_explicit(&state, memory_order_acquire);
    return current == ACTIVE || (current != SYSTEM && initialise());
}

/// The class of a block of ours, or 0 for any other pointer (NULL included).
static inline unsigned class_of(const void *pointer) {
    uintptr_t offset = (uintptr_t)pointer - atomic_load_explicit(&region_start, memory_order_relaxed);
    if (offset >= atomic_load_explicit(&region_span, memory_order_relaxed)) return 0;
    return page_class[offset >> PAGE_SHIFT];
}

/// Pages a thread commits at once (one mprotect call for 1 MiB rather than one per 64 KiB page).
#define PAGES_PER_CHUNK 16
static THREAD_LOCAL size_t chunk_next;
static THREAD_LOCAL size_t chunk_end;

/// A new page for class `k` becomes this thread's bump page; 0 when the region is used up.
__attribute__((noinline)) static int claim_page(unsigned k) {
    if (chunk_next == chunk_end) {
        size_t first = atomic_fetch_add_explicit(&next_page, PAGES_PER_CHUNK, memory_order_relaxed);
        if (first + PAGES_PER_CHUNK > PAGE_COUNT) return 0;
        uintptr_t chunk = atomic_load_explicit(&region_start, memory_order_relaxed) + (first << PAGE_SHIFT);
        if (mprotect((void *)chunk, PAGES_PER_CHUNK * PAGE_SIZE, PROT_READ | PROT_WRITE) != 0) return 0;
        chunk_next = first;
        chunk_end = first + PAGES_PER_CHUNK;
    }
    size_t page = chunk_next++;
    uintptr_t start = atomic_load_explicit(&region_start, memory_order_relaxed) + (page << PAGE_SHIFT);
    page_class[page] = (uint8_t)k;
    bump_next[k] = start;
    bump_end[k] = start + PAGE_SIZE;
    return 1;
}

static inline void *allocate_small(size_t size) {
    unsigned k = size == 0 ? 1 : (unsigned)((size + GRANULE - 1) / GRANULE);
    struct free_block *block = free_lists[k];
    if (block) {
        // The new head was freed long ago and is likely out of cache: fetch it now, while the caller
        // works, rather than stall on it at the next allocation of this class.
        struct free_block *next = block->next;
        __builtin_prefetch(next, 1);
        free_lists[k] = next;
        return block;
    }
    uintptr_t bytes = (uintptr_t)k * GRANULE;
    if (bump_end[k] - bump_next[k] < bytes && !claim_page(k)) return __libc_malloc(size);
    void *fresh = (void *)bump_next[k];
    bump_next[k] += bytes;
    return fresh;
}

static inline void release_small(void *pointer, unsigned k) {
    struct free_block *block = pointer;
    block->next = free_lists[k];
    free_lists[k] = block;
}

void *malloc(size_t size) {
    if (size <= LARGEST_SMALL && is_active()) return allocate_small(size);
    return __libc_malloc(size);
}

void free(void *pointer) {
    unsigned k = class_of(pointer);
    if (k) {
        release_small(pointer, k);
    } else if (pointer) {
        __libc_free(pointer);
    }
}

void *calloc(size_t count, size_t size) {
    size_t total;
    if (__builtin_mul_overflow(count, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    if (total <= LARGEST_SMALL && is_active()) {
        void *block = allocate_small(total);
        if (block) memset(block, 0, total);
        return block;
    }
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    unsigned k = class_of(pointer);
    if (!k) return pointer ? __libc_realloc(pointer, size) : malloc(size);
    if (size == 0) { // glibc frees and returns NULL; do the same
        release_small(pointer, k);
        return NULL;
    }
    size_t capacity = (size_t)k * GRANULE;
    if (size <= capacity) return pointer;
    void *moved = malloc(size);
    if (!moved) return NULL;
    memcpy(moved, pointer, capacity);
    release_small(pointer, k);
    return moved;
}

void *reallocarray(void *pointer, size_t count, size_t size) {
    size_t total;
    if (__builtin_mul_overflow(count, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(pointer, total);
}

void *memalign(size_t alignment, size_t size) {
    // Every block of ours is 16-aligned: pages are 64 KiB-aligned and classes are multiples of 16.
    if (alignment <= GRANULE) return malloc(size);
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    return memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *block = memalign(alignment, size);
    if (!block) return ENOMEM;
    *result = block;
    return 0;
}

void *valloc(size_t size) {
    return __libc_valloc(size);
}

void *pvalloc(size_t size) {
    return __libc_pvalloc(size);
}

typedef size_t (*usable_size_function)(void *);
static _Atomic(usable_size_function) glibc_usable_size;

size_t malloc_usable_size(void *pointer) {
    unsigned k = class_of(pointer);
    if (k) return (size_t)k * GRANULE;
    if (!pointer) return 0;
    usable_size_function next = atomic_load_explicit(&glibc_usable_size, memory_order_acquire);
    if (!next) {
        next = (usable_size_function)dlsym(RTLD_NEXT, "malloc_usable_size");
        atomic_store_explicit(&glibc_usable_size, next, memory_order_release);
    }
    return next(pointer);
}

bool modelint_allocator_is_active(void) {
    return is_active();
}

bool modelint_allocator_owns(const void *pointer) {
    return class_of(pointer) != 0;
}

#else

bool modelint_allocator_is_active(void) {
    return false;
}

bool modelint_allocator_owns(const void *pointer) {
    (void)pointer;
    return false;
}

#endif
