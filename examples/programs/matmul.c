/* Naive versus blocked (tiled) matrix multiply, small enough to record a full memory trace with
 * valgrind's lackey tool (scripts/record-examples.sh).
 *
 *   matmul naive   [N]          c = a * b with the i-j-k loop order: b is walked down its columns,
 *                               touching a different row, often a different page, on every step
 *   matmul blocked [N [BLOCK]]  the same product in BLOCK x BLOCK tiles, which keeps the pages in use
 *                               at any moment few
 *
 * N defaults to 48 (three 18 KiB matrices: about 14 pages of 4 KiB), BLOCK to 16. The program prints a
 * checksum so both variants can be seen to compute the same result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void matmul_naive(int n, const double *a, const double *b, double *c) {
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) {
      double sum = 0.0;
      for (int k = 0; k < n; k++) sum += a[i * n + k] * b[k * n + j];
      c[i * n + j] = sum;
    }
  }
}

static int min_int(int x, int y) { return x < y ? x : y; }

static void matmul_blocked(int n, int block, const double *a, const double *b, double *c) {
  memset(c, 0, sizeof(double) * (size_t)n * (size_t)n);
  for (int ii = 0; ii < n; ii += block) {
    for (int kk = 0; kk < n; kk += block) {
      for (int jj = 0; jj < n; jj += block) {
        for (int i = ii; i < min_int(ii + block, n); i++) {
          for (int k = kk; k < min_int(kk + block, n); k++) {
            const double aik = a[i * n + k];
            for (int j = jj; j < min_int(jj + block, n); j++) c[i * n + j] += aik * b[k * n + j];
          }
        }
      }
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 2 || (strcmp(argv[1], "naive") != 0 && strcmp(argv[1], "blocked") != 0)) {
    fprintf(stderr, "usage: %s naive|blocked [N [BLOCK]]\n", argv[0]);
    return 2;
  }
  const int n = argc > 2 ? atoi(argv[2]) : 48;
  const int block = argc > 3 ? atoi(argv[3]) : 16;
  if (n < 1 || n > 4096 || block < 1) {
    fprintf(stderr, "N must be 1..4096 and BLOCK at least 1\n");
    return 2;
  }
  const size_t count = (size_t)n * (size_t)n;
  double *a = malloc(count * sizeof(double));
  double *b = malloc(count * sizeof(double));
  double *c = malloc(count * sizeof(double));
  if (a == NULL || b == NULL || c == NULL) return 1;
  for (size_t i = 0; i < count; i++) {
    a[i] = (double)(i % 7) - 3.0;
    b[i] = (double)(i % 5) * 0.5;
  }
  if (strcmp(argv[1], "naive") == 0) {
    matmul_naive(n, a, b, c);
  } else {
    matmul_blocked(n, block, a, b, c);
  }
  double checksum = 0.0;
  for (size_t i = 0; i < count; i++) checksum += c[i] * (double)(i % 3 + 1);
  printf("%s n=%d checksum=%.1f\n", argv[1], n, checksum);
  free(a);
  free(b);
  free(c);
  return 0;
}
