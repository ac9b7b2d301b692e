package io.rowstream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layout is the architecture: the core knows neither the AWS SDK nor the command line. */
@AnalyzeClasses(packages = "io.rowstream", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /** The AWS SDK lives in one package; everything else talks to Kinesis through the gateway. */
  @ArchTest
  static final ArchRule onlyTheKinesisPackageKnowsTheAwsSdk =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.rowstream.kinesis..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("software.amazon..");

  /**
   * A JVM-wide setting changed at runtime reaches every client and thread of the process (the SDK's
   * wire format among them): such settings belong to the launcher's command line.
   */
  @ArchTest
  static final ArchRule nothingChangesSystemPropertiesAtRuntime =
      noClasses()
          .should()
          .callMethod(System.class, "setProperty", String.class, String.class)
          .orShould()
          .callMethod(System.class, "clearProperty", String.class);

  @ArchTest
  static final ArchRule nothingButTheCliKnowsTheCli =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.rowstream.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.rowstream.cli..", "picocli..");

  @ArchTest
  static final ArchRule theServiceDependsOnTheCoreNeverTheOtherWayRound =
      noClasses()
          .that()
          .resideOutsideOfPackages(
              "io.rowstream.schedule..", "io.rowstream.server..", "io.rowstream.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.rowstream.schedule..", "io.rowstream.server..");

  @ArchTest
  static final ArchRule theSchedulerKnowsNoHttp =
      noClasses()
          .that()
          .resideInAPackage("io.rowstream.schedule..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.rowstream.server..", "io.javalin..", "io.micrometer..");

  @ArchTest
  static final ArchRule theStateSeamsKnowNoImplementationAndNoRun =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.rowstream.plan..", "io.rowstream.state..", "io.rowstream.history..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.rowstream.store..", "io.rowstream.run..");

  @ArchTest
  static final ArchRule theDeliveredStateKnowsNeitherPlansNorHistory =
      noClasses()
          .that()
          .resideInAPackage("io.rowstream.state..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.rowstream.plan..", "io.rowstream.history..");

  @ArchTest
  static final ArchRule onlyTheHistoryStoreKnowsSqlite =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.rowstream.store.sqlite..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.sqlite..");

  /**
   * The house's one-way dependencies: cli, then the service, then alerts, then one run, then the
   * store implementations, then the seams (message, plan, state, history), then the edges (sink,
   * source), then the template engine and the config, then the core.
   */
  @ArchTest
  static final ArchRule dependenciesRunOneWay =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("cli")
          .definedBy("io.rowstream.cli..")
          .layer("service")
          .definedBy("io.rowstream.server..", "io.rowstream.schedule..")
          .layer("alerts")
          .definedBy("io.rowstream.alerts..")
          .layer("run")
          .definedBy("io.rowstream.run..")
          .layer("store")
          .definedBy("io.rowstream.store..")
          .layer("seams")
          .definedBy(
              "io.rowstream.message..",
              "io.rowstream.plan..",
              "io.rowstream.state..",
              "io.rowstream.history..")
          .layer("edges")
          .definedBy("io.rowstream.delivery..", "io.rowstream.kinesis..", "io.rowstream.source..")
          .layer("foundation")
          .definedBy("io.rowstream.template..", "io.rowstream.config..")
          .layer("core")
          .definedBy("io.rowstream.core..")
          .whereLayer("cli")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("service")
          .mayOnlyBeAccessedByLayers("cli")
          .whereLayer("alerts")
          .mayOnlyBeAccessedByLayers("cli", "service")
          .whereLayer("run")
          .mayOnlyBeAccessedByLayers("cli", "service", "alerts")
          .whereLayer("store")
          .mayOnlyBeAccessedByLayers("cli", "service", "run")
          .whereLayer("seams")
          .mayOnlyBeAccessedByLayers("cli", "service", "alerts", "run", "store")
          .whereLayer("edges")
          .mayOnlyBeAccessedByLayers("cli", "service", "alerts", "run", "store", "seams")
          .whereLayer("foundation")
          .mayOnlyBeAccessedByLayers("cli", "service", "alerts", "run", "store", "seams", "edges");

  @ArchTest
  static final ArchRule packagesFormNoCycles =
      slices().matching("io.rowstream.(*)..").should().beFreeOfCycles();
}
