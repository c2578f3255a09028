/*
 * The entrypoint's fast wait: sleep in waitid itself, the signals to
 * forward caught by a handler that only queues them and, when the wait is
 * under way, jumps out of it. One system call per reaped orphan, none
 * between a signal and the code that forwards it.
 */
#ifndef REAPER_CATCH_H
#define REAPER_CATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "sys.h"

int	catch_setup(uint64_t set, uint64_t mask);
int	catch_arm(bool on);
int	catch_wait(struct sys_child *got, bool peek);
bool	catch_take(struct sys_siginfo *si);
bool	catch_note(int sig, int code, pid_t pid, uint64_t *block);
void	catch_handler(int sig, siginfo_t *si, void *uc);

#endif
