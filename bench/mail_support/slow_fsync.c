// A slow disk for bench/mail: fsync and fdatasync take JK_SLOW_FSYNC_US microseconds longer
// (LD_PRELOAD into the sender only), as on the virtual machines where the outbox's marks fell
// behind smtplib. Only for benchmarks.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

static void slow(void) {
    const char* us = getenv("JK_SLOW_FSYNC_US");
    if (us) usleep((useconds_t)atoi(us));
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    slow();
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    slow();
    return real(fd);
}
