package io.rowstream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layout is the architecture: the core knows neither the AWS SDK nor the command line. */
@AnalyzeClasses(packages = "io.rowstream", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule coreImportsNoAwsSdk = noClasses()
      .that().resideOutsideOfPackages("io.rowstream.kinesis..", "io.rowstream.cli..")
      .should().dependOnClassesThat().resideInAPackage("software.amazon..");

  @ArchTest
  static final ArchRule nothingButTheCliKnowsTheCli = noClasses()
      .that().resideOutsideOfPackage("io.rowstream.cli..")
      .should().dependOnClassesThat().resideInAnyPackage("io.rowstream.cli..", "picocli..");

  @ArchTest
  static final ArchRule theServiceDependsOnTheCoreNeverTheOtherWayRound = noClasses()
      .that().resideOutsideOfPackages("io.rowstream.schedule..", "io.rowstream.server..", "io.rowstream.cli..")
      .should().dependOnClassesThat().resideInAnyPackage("io.rowstream.schedule..", "io.rowstream.server..");

  @ArchTest
  static final ArchRule theSchedulerKnowsNoHttp = noClasses()
      .that().resideInAPackage("io.rowstream.schedule..")
      .should().dependOnClassesThat().resideInAnyPackage("io.rowstream.server..", "io.javalin..", "io.micrometer..");

  @ArchTest
  static final ArchRule theStateSeamsKnowNoImplementationAndNoRun = noClasses()
      .that().resideInAnyPackage("io.rowstream.plan..", "io.rowstream.state..", "io.rowstream.history..")
      .should().dependOnClassesThat().resideInAnyPackage("io.rowstream.store..", "io.rowstream.run..");

  @ArchTest
  static final ArchRule theDeliveredStateKnowsNeitherPlansNorHistory = noClasses()
      .that().resideInAPackage("io.rowstream.state..")
      .should().dependOnClassesThat().resideInAnyPackage("io.rowstream.plan..", "io.rowstream.history..");

  @ArchTest
  static final ArchRule onlyTheHistoryStoreKnowsSqlite = noClasses()
      .that().resideOutsideOfPackage("io.rowstream.store.sqlite..")
      .should().dependOnClassesThat().resideInAPackage("org.sqlite..");
}
