/*
 * The benchmark subcommands of the command line tool (rows of commands[] in gsconv.c):
 *   gsconv bench   tools/cmd_bench.c  (runs the gsconv-bench binary beside gsconv)
 *   gsconv report  tools/cmd_report.c (results/report.c writes the documents)
 * Each takes argv[0] = its own name; exit 0 ok, 1 regression / failure, 2 bad usage or
 * input.
 */
#ifndef GSCONV_CMD_RESULTS_H
#define GSCONV_CMD_RESULTS_H

int gsconv_cmd_bench(int argc, char **argv);
int gsconv_cmd_report(int argc, char **argv);

#endif
