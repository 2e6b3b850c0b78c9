/* cmd_redact.c - `ward redact` and `ward mask`: secrets never reach the
 * screen or the log.
 *
 * redact copies files or standard input to standard output through a
 * ward_redactor.  Input that pauses is flushed on timers: after SHORT_MS all
 * but a trailing run of token characters, after LONG_MS all but a run that
 * looks like a secret's start, after STALE_MS that run masked; so
 * `tail -f app.log | ward redact` shows lines as they come, a prompt shows
 * at once, and half a token never shows.
 *
 * mask runs a command in a pseudo-terminal and puts its output through the
 * same redactor before it reaches the screen.  Keyboard input passes through
 * untouched; the terminal is put in raw mode (the command's own pty does the
 * line editing) and restored on every way out, a crash included.  Input
 * that is not a terminal is written without echo and ends with the
 * end-of-file character, as script(1) does.  Signals are blocked except
 * inside ppoll, so none is lost between two checks.  Window-size changes
 * resize the command's terminal; termination signals are passed to the
 * command, and if it has not ended GRACE_MS later (or the signal comes
 * again) ward dies of the signal itself.  Otherwise ward exits with the
 * command's status, 128+N when signal N ended it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <utmp.h>
#include <unistd.h>

#include "cli.h"

#define SHORT_MS 3
#define LONG_MS 30
#define STALE_MS 1000 /* a run that may be a secret's start is held this long */

enum { O_STYLE = 256, O_CONFIG = 'c', O_NOCONFIG = 257 };

const cli_opt redact_opts[] = {
    {O_STYLE, 0, "style", "STYLE", "how a secret is masked: dots (default: each character "
                                   "becomes \u25cf, so the length shows), prefix (the first 4 "
                                   "characters stay) or fixed ([REDACTED:rule-id])"},
    {O_CONFIG, 'c', "config", "FILE", "rules and allowlists in the gitleaks TOML schema"},
    {0, 0, NULL, NULL, NULL},
};

/* Output: straight to the fd, in full; on a terminal at once, otherwise
 * through a buffer flushed whenever input pauses. */
typedef struct out {
    int fd;
    int tty;
    char buf[1 << 16];
    size_t len;
    int broken;
} out_t;

static int write_all(int fd, const char *b, size_t n)
{
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

/* A failed write marks the output broken and is recorded for main(), which
 * reports it (quietly for a closed pipe). */
static void out_broken(out_t *o)
{
    o->broken = 1;
    cli_out_error(errno);
}

static int out_flush(out_t *o)
{
    if (o->len && !o->broken && write_all(o->fd, o->buf, o->len))
        out_broken(o);
    o->len = 0;
    return o->broken ? -1 : 0;
}

static int on_write(const char *b, size_t n, void *user)
{
    out_t *o = user;
    if (o->broken)
        return 1;
    if (o->tty || n > sizeof o->buf) {
        if (!out_flush(o) && write_all(o->fd, b, n))
            out_broken(o);
        return o->broken;
    }
    if (o->len + n > sizeof o->buf && out_flush(o))
        return 1;
    memcpy(o->buf + o->len, b, n);
    o->len += n;
    return 0;
}

static int parse_style(const char *s, ward_mask_style *st)
{
    if (!strcmp(s, "dots"))
        *st = WARD_MASK_DOTS;
    else if (!strcmp(s, "prefix"))
        *st = WARD_MASK_PREFIX;
    else if (!strcmp(s, "fixed"))
        *st = WARD_MASK_FIXED;
    else {
        cli_error("unknown style '%s' (dots, prefix or fixed)", s);
        return -1;
    }
    return 0;
}

/* Parses the shared options; returns the index of the first operand in
 * argv, or -1 on error (already reported), or -2 after --help. */
static int parse_common(const cli_cmd *self, int argc, char **argv, ward_engine **e,
                        ward_redactor **red, cli_parse *ps, int stop_at_operand)
{
    ward_mask_style style = WARD_MASK_DOTS;
    ward_engine_options eo = WARD_INIT(ward_engine_options);
    int opt;
    cli_parse_init(ps, self, argc, argv);
    while (1) {
        /* mask: everything from the first operand on is the command */
        if (stop_at_operand && ps->i < argc && !ps->pending_short &&
            (argv[ps->i][0] != '-' || !strcmp(argv[ps->i], "--"))) {
            if (!strcmp(argv[ps->i], "--"))
                ps->i++;
            break;
        }
        if ((opt = cli_next(ps)) == -1)
            break;
        switch (opt) {
        case 'h': cli_print_help(stdout, self); return -2;
        case O_STYLE:
            if (parse_style(ps->optarg, &style))
                return -1;
            break;
        case O_CONFIG: eo.config_path = ps->optarg; break;
        default: return -1;
        }
    }
    char err[512];
    ward_status st = ward_engine_new(&eo, e, err, sizeof err);
    if (st) {
        cli_error("%s", *err ? err : ward_strerror(st));
        return -1;
    }
    if (ward_redactor_new(*e, style, red)) {
        cli_error("out of memory");
        ward_engine_free(*e);
        return -1;
    }
    return ps->i;
}

/* The pause timers: how long poll may wait before the next flush is due
 * (-1: nothing is held), and that flush.  level is the last flush made since
 * input arrived (-1 for none). */
static int pause_timeout(const ward_redactor *r, const out_t *o, int level)
{
    if (!ward_redactor_pending(r) && !o->len)
        return -1;
    if (level < 0)
        return SHORT_MS;
    return level == WARD_FLUSH_SHORT ? LONG_MS - SHORT_MS : STALE_MS - LONG_MS;
}

static int on_pause(ward_redactor *r, out_t *o, int *level)
{
    ward_flush_level lv = *level < 0                   ? WARD_FLUSH_SHORT
                          : *level == WARD_FLUSH_SHORT ? WARD_FLUSH_LONG
                                                       : WARD_FLUSH_STALE;
    *level = lv;
    if (ward_redactor_flush(r, lv, on_write, o) == WARD_EABORT || out_flush(o))
        return -1;
    return 0;
}

/* Copies fd through the redactor, flushing on pauses.  Returns 0, or -1 on a
 * read error (reported), or 1 when the output went away. */
static int pump(ward_redactor *r, int fd, const char *label, out_t *o)
{
    static char in[1 << 18];
    int level = -1; /* the next flush due on a pause */
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        int pr = poll(&p, 1, pause_timeout(r, o, level));
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0) {
            if (on_pause(r, o, &level))
                return 1;
            continue;
        }
        ssize_t n = read(fd, in, sizeof in);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0 && errno == EIO && !strcmp(label, "pty"))
            return 0; /* the command's side of the terminal closed */
        if (n < 0) {
            cli_error("cannot read '%s': %s", label, strerror(errno));
            return -1;
        }
        if (n == 0)
            return 0;
        level = -1;
        if (ward_redactor_write(r, in, (size_t)n, on_write, o) == WARD_EABORT)
            return 1;
        if (o->tty && out_flush(o))
            return 1;
    }
}

int cmd_redact(const cli_cmd *self, int argc, char **argv)
{
    ward_engine *e = NULL;
    ward_redactor *r = NULL;
    cli_parse ps;
    int first = parse_common(self, argc, argv, &e, &r, &ps, 0);
    if (first == -2)
        return EXIT_CLEAN;
    if (first < 0)
        return EXIT_ERROR;
    static out_t o;
    o.fd = 1;
    o.tty = isatty(1);
    int rc = EXIT_CLEAN, n = ps.n_operands;
    for (int i = 0; i <= (n ? n - 1 : 0) && !o.broken; i++) {
        const char *path = n ? ps.operands[i] : "-";
        int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
        if (fd < 0) {
            cli_error("cannot open '%s': %s", path, strerror(errno));
            rc = EXIT_ERROR;
            continue;
        }
        int pr = pump(r, fd, path, &o);
        if (pr < 0)
            rc = EXIT_ERROR;
        if (fd)
            close(fd);
        if (pr > 0)
            break;
    }
    if (!o.broken) {
        ward_redactor_flush(r, WARD_FLUSH_END, on_write, &o);
        out_flush(&o);
    }
    ward_redactor_free(r);
    ward_engine_free(e);
    return rc; /* a broken pipe is quiet and does not change the status */
}

/* ---- ward mask ---- */

/* After passing a termination signal on, how long the command may take to
 * end before ward ends anyway (an interactive shell ignores SIGTERM). */
#define GRACE_MS 1000

static struct termios saved_tio;
static volatile sig_atomic_t tio_saved;
static volatile sig_atomic_t got_winch, got_signal;

/* Async-signal-safe: tcsetattr is, and it runs from on_fatal. */
static void restore_tty(void)
{
    if (tio_saved)
        tcsetattr(0, TCSADRAIN, &saved_tio);
    tio_saved = 0;
}

static void on_signal(int sig)
{
    if (sig == SIGWINCH)
        got_winch = 1;
    else
        got_signal = sig;
}

/* A crash: put the terminal back before dying of it (the handler was reset
 * on entry, so the raise is fatal). */
static void on_fatal(int sig)
{
    restore_tty();
    raise(sig);
}

static const int term_signals[] = {SIGTERM, SIGHUP, SIGINT, SIGQUIT};
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

/* Ends ward by sig, as if it had not been caught: what is held goes out
 * (a half token masked), the terminal is restored first. */
static void die(int sig, ward_redactor *r, out_t *o)
{
    if (!o->broken)
        ward_redactor_flush(r, WARD_FLUSH_STALE, on_write, o);
    restore_tty();
    signal(sig, SIG_DFL);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    raise(sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL); /* delivered here */
    _exit(128 + sig);
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The command's side of a new pseudo-terminal: the caller's terminal
 * settings and size when it has a terminal; otherwise the defaults without
 * echo, since input that does not come from a keyboard was never shown and
 * must not appear twice (as script(1) does). */
static int open_pty(int in_tty, int *master, int *slave)
{
    struct winsize ws, *wsp = NULL;
    struct termios tio, *tiop = NULL;
    if (in_tty && ioctl(0, TIOCGWINSZ, &ws) == 0)
        wsp = &ws;
    if (in_tty && tcgetattr(0, &tio) == 0) {
        saved_tio = tio;
        tiop = &tio;
    }
    if (openpty(master, slave, NULL, tiop, wsp) < 0)
        return -1;
    if (!tiop && tcgetattr(*slave, &tio) == 0) {
        tio.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        tcsetattr(*slave, TCSANOW, &tio);
    }
    fcntl(*master, F_SETFD, FD_CLOEXEC);
    fcntl(*master, F_SETFL, fcntl(*master, F_GETFL) | O_NONBLOCK);
    return 0;
}

int cmd_mask(const cli_cmd *self, int argc, char **argv)
{
    ward_engine *e = NULL;
    ward_redactor *r = NULL;
    cli_parse ps;
    int first = parse_common(self, argc, argv, &e, &r, &ps, 1);
    if (first == -2)
        return EXIT_CLEAN;
    if (first < 0)
        return EXIT_ERROR;
    if (first >= argc) {
        cli_error("mask needs a command: ward mask [OPTIONS] -- CMD [ARGS...]");
        ward_redactor_free(r);
        ward_engine_free(e);
        return EXIT_ERROR;
    }
    /* Signals are blocked except inside ppoll, so one that arrives between
     * two checks is not lost; the handlers are in place before the terminal
     * goes raw. */
    sigset_t block, orig;
    sigemptyset(&block);
    sigaddset(&block, SIGWINCH);
    for (size_t i = 0; i < sizeof term_signals / sizeof *term_signals; i++)
        sigaddset(&block, term_signals[i]);
    sigprocmask(SIG_BLOCK, &block, &orig);
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGWINCH, &sa, NULL);
    for (size_t i = 0; i < sizeof term_signals / sizeof *term_signals; i++)
        sigaction(term_signals[i], &sa, NULL);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++)
        sigaction(fatal_signals[i], &sa, NULL);

    int in_tty = isatty(0), master, slave;
    pid_t pid = -1;
    if (open_pty(in_tty, &master, &slave) == 0 && (pid = fork()) < 0) {
        close(master);
        close(slave);
    }
    if (pid < 0) {
        cli_error("cannot start '%s': %s", argv[first], strerror(errno));
        sigprocmask(SIG_SETMASK, &orig, NULL);
        ward_redactor_free(r);
        ward_engine_free(e);
        return EXIT_ERROR;
    }
    if (pid == 0) {
        close(master);
        if (login_tty(slave) < 0)
            _exit(127);
        signal(SIGPIPE, SIG_DFL); /* ward ignores it; the command must not */
        sigprocmask(SIG_SETMASK, &orig, NULL);
        execvp(argv[first], argv + first);
        fprintf(stderr, "ward: cannot run '%s': %s\n", argv[first], strerror(errno));
        _exit(127);
    }
    close(slave);
    if (in_tty && tio_saved == 0 && tcgetattr(0, &saved_tio) == 0) {
        struct termios raw = saved_tio;
        cfmakeraw(&raw);
        tio_saved = 1;
        atexit(restore_tty);
        tcsetattr(0, TCSANOW, &raw); /* keep typeahead */
    }

    static out_t o;
    o.fd = 1;
    o.tty = 1; /* a person is watching: never sit on output */
    static char buf[1 << 16], in[1 << 16];
    size_t in_len = 0, in_off = 0;
    int level = -1, stdin_open = 1, pending_sig = 0;
    long long deadline = 0;
    char last = '\n';
    for (;;) {
        if (got_winch) {
            struct winsize ws;
            got_winch = 0;
            if (in_tty && ioctl(0, TIOCGWINSZ, &ws) == 0)
                ioctl(master, TIOCSWINSZ, &ws); /* the kernel signals the command */
        }
        if (got_signal) {
            int sig = got_signal;
            got_signal = 0;
            if (sig == pending_sig)
                die(sig, r, &o); /* asked twice: no more waiting */
            kill(pid, sig);
            if (!pending_sig)
                deadline = now_ms() + GRACE_MS;
            pending_sig = sig;
        }
        int timeout = pause_timeout(r, &o, level);
        if (pending_sig) {
            long long left = deadline - now_ms();
            if (left <= 0)
                die(pending_sig, r, &o);
            if (timeout < 0 || left < timeout)
                timeout = (int)left;
        }
        struct pollfd p[2] = {{master, POLLIN | (in_len ? POLLOUT : 0), 0},
                              {stdin_open && !in_len ? 0 : -1, POLLIN, 0}};
        struct timespec ts = {timeout / 1000, (long)(timeout % 1000) * 1000000};
        int pr = ppoll(p, 2, timeout < 0 ? NULL : &ts, &orig);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0) {
            cli_error("cannot wait for '%s': %s", argv[first], strerror(errno));
            break;
        }
        if (pr == 0) {
            on_pause(r, &o, &level);
            continue;
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(0, in, sizeof in);
            if (n > 0) {
                in_len = (size_t)n;
                in_off = 0;
                last = in[n - 1];
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                stdin_open = 0; /* a keyboard that went away: the command runs on */
                if (!in_tty) {
                    /* End of input, passed on as the terminal's end-of-file
                     * character; a partial last line needs a second one. */
                    struct termios t;
                    cc_t eof = 4; /* ^D */
                    if (tcgetattr(master, &t) == 0 && t.c_cc[VEOF] != _POSIX_VDISABLE)
                        eof = t.c_cc[VEOF];
                    in[0] = in[1] = (char)eof;
                    in_len = last == '\n' ? 1 : 2;
                    in_off = 0;
                }
            }
        }
        if ((p[0].revents & POLLOUT) && in_len) {
            ssize_t w = write(master, in + in_off, in_len - in_off);
            if (w > 0 && (in_off += (size_t)w) == in_len)
                in_len = in_off = 0;
            else if (w < 0 && errno != EINTR && errno != EAGAIN)
                in_len = in_off = 0, stdin_open = 0;
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(master, buf, sizeof buf);
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n <= 0)
                break; /* EIO: the command and its children closed the pty */
            level = -1;
            ward_redactor_write(r, buf, (size_t)n, on_write, &o);
        }
    }
    if (!o.broken)
        ward_redactor_flush(r, WARD_FLUSH_END, on_write, &o);
    out_flush(&o);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    restore_tty();
    close(master);
    sigprocmask(SIG_SETMASK, &orig, NULL);
    ward_redactor_free(r);
    ward_engine_free(e);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return EXIT_ERROR;
}
