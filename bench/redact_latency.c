/* redact_latency.c - the delay `ward redact` adds to an interactive line.
 *
 * Runs `ward redact` with its input on a pipe and its output on a pseudo-
 * terminal (so it works in its line-by-line, terminal mode), writes one line
 * at a time, and times how long until that line comes back out of the pty.
 * Half the lines carry a fake token (made by ward-fake beforehand and passed
 * in a file), so the masking path is timed too.  Prints p50/p99/max.
 *
 *   redact_latency WARD LINES_FILE [N]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: redact_latency WARD LINES_FILE [N]\n");
        return 2;
    }
    int n = argc > 3 ? atoi(argv[3]) : 500;
    FILE *lf = fopen(argv[2], "r");
    char lines[64][1024];
    int nl = 0;
    while (lf && nl < 64 && fgets(lines[nl], sizeof lines[nl], lf))
        nl++;
    if (!nl) {
        fprintf(stderr, "redact_latency: no lines in %s\n", argv[2]);
        return 2;
    }
    int in[2], master, slave;
    if (pipe(in) || openpty(&master, &slave, NULL, NULL, NULL)) {
        perror("pipe/openpty");
        return 2;
    }
    struct termios t;
    tcgetattr(slave, &t);
    cfmakeraw(&t); /* no \n -> \r\n translation: bytes come back as written */
    tcsetattr(slave, TCSANOW, &t);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(slave, 1);
        close(in[1]);
        close(master);
        execl(argv[1], argv[1], "redact", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(slave);
    double *d = calloc((size_t)n, sizeof *d);
    char buf[65536];
    for (int i = 0; i < n; i++) {
        const char *line = lines[i % nl];
        size_t len = strlen(line);
        double t0 = now_ms();
        if (write(in[1], line, len) != (ssize_t)len)
            return 2;
        /* read until the newline of this line arrives */
        for (;;) {
            struct pollfd p = {master, POLLIN, 0};
            if (poll(&p, 1, 2000) <= 0) {
                fprintf(stderr, "redact_latency: no output within 2 s\n");
                return 1;
            }
            ssize_t r = read(master, buf, sizeof buf);
            if (r <= 0)
                return 1;
            if (memchr(buf, '\n', (size_t)r))
                break;
        }
        d[i] = now_ms() - t0;
        usleep(2000); /* a person's pace, not a flood */
    }
    close(in[1]);
    waitpid(pid, NULL, 0);
    qsort(d, (size_t)n, sizeof *d, cmp);
    printf("interactive line delay over %d lines: p50 %.3f ms, p99 %.3f ms, max %.3f ms "
           "(target < 5 ms: %s)\n",
           n, d[n / 2], d[n * 99 / 100], d[n - 1], d[n * 99 / 100] < 5 ? "PASS" : "MISS");
    free(d);
    return 0;
}
