package io.rowstream.server.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian chromium through Debian's chromedriver, with a fresh profile. Without them it
 * fails (never skips), saying how to get them: {@code peers/ensure-chromium.sh} installs them when
 * the build runs as root with apt-get.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("rowstream.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER =
      System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");

  final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static Browser start() {
    if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
      throw new AssertionError(
          "the browser tests need chromium at "
              + CHROMIUM
              + " and chromedriver at "
              + CHROMEDRIVER
              + ": run `sudo apt-get install chromium chromium-driver` (Debian/Ubuntu; the build does it as root via "
              + "peers/ensure-chromium.sh), or pass -Drowstream.chromium=PATH -Dwebdriver.chrome.driver=PATH");
    }
    try {
      Path profile = Files.createTempDirectory("rowstream-chromium-");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM);
      options.addArguments(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--window-size=1400,1000",
          "--user-data-dir=" + profile);
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
              .usingAnyFreePort()
              .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      // a page load on a machine at load 40 can take long; the tests wait on conditions anyway
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(90));
      return new Browser(driver, profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  <T> T await(Duration timeout, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).until(condition::apply);
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "timed out on "
              + driver.getCurrentUrl()
              + "; the page shows:\n"
              + driver.findElement(org.openqa.selenium.By.tagName("main")).getText(),
          e);
    }
  }

  /**
   * Waits until the browser shows a page whose URL satisfies {@code url} and that has loaded: a
   * click that navigates returns before the next page is there, so a read right after it may see
   * the old page or a part of the new one.
   */
  void awaitPage(Duration timeout, Predicate<String> url) {
    await(
        timeout,
        d ->
            url.test(d.getCurrentUrl())
                && "complete".equals(driver.executeScript("return document.readyState;")));
  }

  void screenshot(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp folder left behind
    }
  }
}
