/* Pointer chasing: a linked list whose nodes are scattered over many pages in a shuffled order, walked
 * from head to tail several times. Every step may land on another page, and the same long cycle of
 * pages repeats on each pass: the pattern where LRU with too few frames faults on every page while a
 * policy that keeps some pages resident (OPT, or even random) does better. Small enough to record with
 * valgrind's lackey tool (scripts/record-examples.sh).
 *
 *   listwalk [NODES [PASSES]]   defaults: 1024 nodes of 64 bytes (16 pages of 4 KiB), 6 passes */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
  struct node *next;
  uint64_t value;
  char pad[48]; /* 64-byte nodes: 64 to a 4 KiB page */
};

int main(int argc, char **argv) {
  const int nodes = argc > 1 ? atoi(argv[1]) : 1024;
  const int passes = argc > 2 ? atoi(argv[2]) : 6;
  if (nodes < 1 || passes < 1) {
    fprintf(stderr, "usage: %s [NODES [PASSES]]\n", argv[0]);
    return 2;
  }
  struct node *pool = malloc(sizeof(struct node) * (size_t)nodes);
  int *order = malloc(sizeof(int) * (size_t)nodes);
  if (pool == NULL || order == NULL) return 1;

  /* A fixed-seed Fisher-Yates shuffle, so every recording is the same. */
  uint32_t seed = 12345;
  for (int i = 0; i < nodes; i++) order[i] = i;
  for (int i = nodes - 1; i > 0; i--) {
    seed = seed * 1664525u + 1013904223u;
    const int j = (int)(seed % (uint32_t)(i + 1));
    const int t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for (int i = 0; i < nodes; i++) {
    struct node *n = &pool[order[i]];
    n->value = (uint64_t)i;
    n->next = i + 1 < nodes ? &pool[order[i + 1]] : NULL;
  }

  uint64_t sum = 0;
  for (int p = 0; p < passes; p++) {
    for (const struct node *n = &pool[order[0]]; n != NULL; n = n->next) sum += n->value;
  }
  printf("listwalk nodes=%d passes=%d sum=%llu\n", nodes, passes, (unsigned long long)sum);
  free(order);
  free(pool);
  return 0;
}
