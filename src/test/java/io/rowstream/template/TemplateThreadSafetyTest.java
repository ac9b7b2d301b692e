package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One compiled template rendered from many threads at once: each caller gets its own result. */
class TemplateThreadSafetyTest {
  private static final int THREADS = 8;
  private static final int RENDERS = 10_000;

  private static final String SOURCE =
      "{% assign total = 0 %}{% capture head %}{{ row.name }}#{{ row.id }}"
          + "{% endcapture %}{% for i in (1..row.n) %}{% assign total = total | plus: i %}{% cycle 'a', 'b' %}"
          + "{% endfor %}|{% increment c %}{% increment c %}|{{ head }}|{{ total }}|"
          + "{% for t in row.tags offset: continue limit: 2 %}{{ forloop.index }}{{ t }}{% endfor %}"
          + "{% for t in row.tags offset: continue %}{{ t }}{% endfor %}|{% ifchanged %}{{ row.id }}{% endifchanged %}";

  private static String expected(long id, int n) {
    StringBuilder cycles = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      cycles.append(i % 2 == 1 ? 'a' : 'b');
    }
    return cycles
        + "|01|name-"
        + id
        + "#"
        + id
        + "|"
        + (n * (n + 1) / 2)
        + "|1t"
        + id
        + "2u"
        + id
        + "v"
        + id
        + "|"
        + id;
  }

  @Test
  void oneTemplateRenderedFrom8ThreadsGivesEveryCallerItsOwnResult() throws Exception {
    Template template = Template.compile(SOURCE, TemplateOptions.json());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<String> wrong = new ArrayList<>();
                  for (int k = 0; k < RENDERS; k++) {
                    long id = thread * 1_000_000L + k;
                    int n = k % 7 + 1;
                    Map<String, Object> row =
                        Map.of(
                            "id",
                            id,
                            "name",
                            "name-" + id,
                            "n",
                            n,
                            "tags",
                            List.of("t" + id, "u" + id, "v" + id));
                    String got = template.render(Map.of("row", row));
                    if (!got.equals(expected(id, n))) {
                      wrong.add(id + ": " + got);
                    }
                  }
                  return wrong;
                }));
      }
      start.countDown();
      List<String> wrong = new ArrayList<>();
      for (Future<List<String>> f : results) {
        wrong.addAll(f.get());
      }
      assertThat(wrong).as("renders that got another caller's state").isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }
}
