/* serve.c - the server on a pair of file descriptors (lsp_serve).
 *
 * Waits for the client's bytes and for the workspace scan's wake-up pipe at
 * once (poll), so results of a scan running on its own thread reach the
 * client while edits keep being answered.  Replies are written whole,
 * retrying short writes.  Ends on `exit` (status 0 after shutdown, 1
 * without, as the spec says), or with status 0 when the client goes away
 * (end of input, or its end of the pipe closed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

static int write_all(const char *buf, size_t len, void *user)
{
    int fd = *(int *)user;
    while (len) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

int lsp_serve(const lsp_options *opts, int in_fd, int out_fd, char *errbuf, size_t errlen)
{
    char err[512] = "";
    lsp_server *s = lsp_server_new(opts, write_all, &out_fd, err, sizeof err);
    if (!s) {
        snprintf(errbuf, errlen, "cannot load the rules: %s", err);
        return -1;
    }
    static char buf[1 << 16];
    int rc = 0;
    for (;;) {
        struct pollfd pf[2] = {{in_fd, POLLIN, 0}, {lsp_wake_fd(s), POLLIN, 0}};
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            snprintf(errbuf, errlen, "cannot wait for input: %s", strerror(errno));
            rc = -1;
            break;
        }
        if (pf[1].revents & POLLIN)
            lsp_pump(s);
        if (!(pf[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        ssize_t n = read(in_fd, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            break; /* the client went away */
        int r = lsp_feed(s, buf, (size_t)n);
        if (r < 0) {
            snprintf(errbuf, errlen, "out of memory");
            rc = -1;
            break;
        }
        if (r > 0) {
            rc = lsp_exit_status(s);
            break;
        }
    }
    lsp_server_free(s);
    return rc;
}
