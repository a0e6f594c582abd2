// End-to-end tests of the pages in Debian's headless Chromium: the real
// `servicenorm serve` on a fresh SQLite database, driven by playwright-core,
// with axe-core checking every page for WCAG 2.1 A and AA violations.
//
// Run by `.ci/run` (which installs chromium and these packages); by hand:
//   cargo build -p servicenorm && (cd e2e && npm ci && npm test)
// Screenshots of the queue, the dashboard and the public page at 360 and
// 1280 pixels wide are written to e2e/screenshots/ for a reviewer.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const targetDir = process.env.CARGO_TARGET_DIR ?? join(here, "..", "target");
const binary = process.env.SERVICENORM_BIN ?? join(targetDir, "debug", "servicenorm");
const axeSource = readFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");
const screenshots = join(here, "screenshots");
const PASSWORD = "een lang e2e-wachtwoord";

let server;
let base;
let browser;
let data;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function addUser(name, role) {
  execFileSync(binary, ["user", "add", "--name", name, "--role", role, "--team", "kcc", "--data", data], {
    input: `${PASSWORD}\n`,
    stdio: ["pipe", "ignore", "inherit"],
  });
}

async function waitUntilReady() {
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(`${base}/health/ready`);
      if (response.status === 204) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("servicenorm did not become ready");
}

before(async () => {
  data = mkdtempSync(join(tmpdir(), "servicenorm-e2e-"));
  addUser("e2e-medewerker", "medewerker");
  addUser("e2e-teamleider", "teamleider");
  addUser("e2e-beheerder", "beheerder");
  const port = await freePort();
  // localhost, not 127.0.0.1: browsers keep Secure cookies for it over http.
  base = `http://localhost:${port}`;
  server = spawn(binary, ["serve", "--data", data, "--address", `127.0.0.1:${port}`], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitUntilReady();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  rmSync(screenshots, { recursive: true, force: true });
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  rmSync(data, { recursive: true, force: true });
});

/** Runs axe-core on the page; fails on any WCAG 2.1 A or AA violation. */
async function checkAccessibility(page, what) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  const problems = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  assert.deepEqual(problems, [], `${what}: axe found violations`);
}

async function screenshot(page, name) {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(screenshots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const WEEKDAYS = ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"];
const MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];

/** The deadline as the termijnen engine (the CLI) computes it, in the words of the case page. */
function expectedDeadline(moment) {
  const json = JSON.parse(
    execFileSync(binary, ["deadline", "--from", moment, "--term", "2 werkdagen", "--calendar", "gemeente", "--json"], {
      encoding: "utf8",
    }),
  );
  // "2026-11-24T23:59:59+01:00": the local date and time are in the text.
  const [date, time] = json.deadline.split("T");
  const [year, month, day] = date.split("-").map(Number);
  const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  return `${weekday} ${day} ${MONTHS[month - 1]} ${year} om ${time.slice(0, 5)}`;
}

/** The moment the form proposes (now, in Dutch time), as the form sends it. */
async function formMoment(page) {
  return page.inputValue("#moment");
}

test("the accessibility check itself finds a violation when there is one", async () => {
  const page = await browser.newPage();
  await page.setContent('<html lang="nl"><body><main><img src="data:,"><input type="text"></main></body></html>');
  await assert.rejects(checkAccessibility(page, "a page with faults"), /image-alt|label/);
  await page.close();
});

test("the public page lists the promises, passes axe and is photographed", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/servicenormen`);
  assert.equal(await page.locator("h1").innerText(), "Onze servicenormen");
  assert.ok((await page.locator(".servicenorm-norm").count()) >= 20);
  await checkAccessibility(page, "Onze servicenormen");
  await screenshot(page, "publiek");
  await page.close();
});

test("with the mouse: log in, register a callback, see its deadline, record it, see the dashboard count it", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/inloggen`);
  await checkAccessibility(page, "Inloggen");
  await page.getByLabel("Naam").fill("e2e-medewerker");
  await page.getByLabel("Wachtwoord").fill(PASSWORD);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.waitForURL(`${base}/werkvoorraad`);

  await page.getByRole("link", { name: "Nieuw contact" }).click();
  await checkAccessibility(page, "Nieuw contact");
  // A mistake first: the form says what is wrong, in plain Dutch.
  await page.getByRole("button", { name: "Contact opslaan" }).click();
  assert.match(await page.locator(".utrecht-alert--error").innerText(), /Kies wat voor contact het is/);
  await checkAccessibility(page, "Nieuw contact met fouten");

  await page.getByLabel("Wat voor contact is het?").selectOption({ label: "Telefoongesprek via 14 0251: terugbelafspraak gemaakt" });
  await page.getByLabel("Zaaknummer (mag leeg)").fill("E2E-MUIS");
  const moment = await formMoment(page);
  await page.getByRole("button", { name: "Contact opslaan" }).click();
  await page.waitForURL(/\/zaken\/E2E-MUIS/);
  const deadline = expectedDeadline(moment);
  assert.match(await page.locator("main").innerText(), new RegExp(`Uiterlijk: ${deadline}`));
  await checkAccessibility(page, "Zaak");

  await page.getByRole("link", { name: "Werkvoorraad" }).click();
  const row = page.locator("tr", { has: page.getByRole("link", { name: "E2E-MUIS" }) });
  assert.match(await row.innerText(), /lopend/);
  assert.match(await row.innerText(), /nog \d+ werkdag|vandaag|morgen/);
  await checkAccessibility(page, "Werkvoorraad");
  await screenshot(page, "werkvoorraad");

  await row.getByRole("link", { name: "E2E-MUIS" }).click();
  await page.getByLabel("Wat is er gebeurd?").selectOption({ label: "teruggebeld" });
  await page.getByRole("button", { name: "Stap opslaan" }).click();
  await page.waitForURL(/opgeslagen=stap/);
  assert.match(await page.locator("main").innerText(), /gehaald/);
  await page.getByRole("button", { name: "Uitloggen" }).click();

  await page.getByLabel("Naam").fill("e2e-teamleider");
  await page.getByLabel("Wachtwoord").fill(PASSWORD);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.waitForURL(`${base}/werkvoorraad`);
  await page.getByRole("link", { name: "Dashboard" }).click();
  const panel = page.locator("section", { has: page.getByRole("heading", { name: /terugbelafspraak bellen we u/ }) });
  assert.match(await panel.innerText(), /[1-9]\d* gehaald/);
  await checkAccessibility(page, "Dashboard");
  await screenshot(page, "dashboard");
  await context.close();
});

/** Presses Tab until `selector` has the focus: proof that the keyboard reaches it. */
async function tabTo(page, selector) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`the keyboard does not reach ${selector}`);
}

/** Moves a focused select to the option with `label`, with arrow keys only. */
async function chooseWithKeys(page, selector, label) {
  for (let i = 0; i < 80; i++) {
    const current = await page.evaluate((s) => {
      const select = document.querySelector(s);
      return select.options[select.selectedIndex]?.label;
    }, selector);
    if (current === label) return;
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`no option "${label}" in ${selector}`);
}

test("with the keyboard only: the same flow", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/inloggen`);
  await tabTo(page, "#name");
  await page.keyboard.type("e2e-medewerker");
  await tabTo(page, "#password");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await page.waitForURL(`${base}/werkvoorraad`);

  await tabTo(page, 'a[href="/contact/nieuw"]');
  await page.keyboard.press("Enter");
  await page.waitForURL(`${base}/contact/nieuw`);
  await tabTo(page, "#soort");
  await chooseWithKeys(page, "#soort", "Telefoongesprek via 14 0251: terugbelafspraak gemaakt");
  await tabTo(page, "#kenmerk");
  await page.keyboard.type("E2E-TOETS");
  const moment = await formMoment(page);
  await tabTo(page, 'button[type="submit"]:not(.utrecht-button--subtle)');
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/zaken\/E2E-TOETS/);
  assert.match(await page.locator("main").innerText(), new RegExp(`Uiterlijk: ${expectedDeadline(moment)}`));

  // The explanation opens with the keyboard.
  await tabTo(page, "summary");
  await page.keyboard.press("Enter");
  assert.match(await page.locator("details[open]").first().innerText(), /De termijn eindigt op/);

  await tabTo(page, 'a[href="/werkvoorraad"]');
  await page.keyboard.press("Enter");
  await page.waitForURL(`${base}/werkvoorraad`);
  await tabTo(page, 'a[href="/zaken/E2E-TOETS"]');
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/zaken\/E2E-TOETS/);
  await tabTo(page, "#gebeurtenis");
  await chooseWithKeys(page, "#gebeurtenis", "teruggebeld");
  await tabTo(page, 'form[action^="/zaken/"] button[type="submit"]');
  await page.keyboard.press("Enter");
  await page.waitForURL(/opgeslagen=stap/);
  assert.match(await page.locator("main").innerText(), /gehaald/);

  await tabTo(page, 'a[href="/werkvoorraad"]');
  await page.keyboard.press("Enter");
  await page.waitForURL(`${base}/werkvoorraad`);
  assert.equal(await page.getByRole("link", { name: "E2E-TOETS" }).count(), 0);
  await context.close();
});

test("every other page passes axe too: reports, catalog, calendars, errors", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/inloggen`);
  await page.getByLabel("Naam").fill("e2e-beheerder");
  await page.getByLabel("Wachtwoord").fill(PASSWORD);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.waitForURL(`${base}/werkvoorraad`);
  const year = new Date().getFullYear();
  for (const [path, heading] of [
    ["/dashboard/rapport?jaar=" + year, `Servicenormen ${year}`],
    ["/dashboard/rapport?jaar=" + year + "&kwartaal=1", `Servicenormen ${year} kwartaal 1`],
    ["/beheer/catalogus", "Catalogus met servicenormen"],
    [`/beheer/kalenders?jaar=${year}`, `Kalenders ${year}`],
    ["/zaken/bestaat-niet", "Niet gevonden"],
  ]) {
    await page.goto(`${base}${path}`);
    assert.equal(await page.locator("h1").innerText(), heading, path);
    await checkAccessibility(page, path);
  }
  // A catalog with a mistake: the problems are shown, accessible, and nothing is stored.
  await page.goto(`${base}/beheer/catalogus`);
  await page.setInputFiles("#bestand", { name: "fout.toml", mimeType: "text/plain", buffer: Buffer.from('id = "heemskerk"\nvalid_from = "morgen"\n') });
  await page.getByRole("button", { name: "Controleren" }).click();
  assert.match(await page.locator(".utrecht-alert--error").innerText(), /Regel \d+, kolom \d+/);
  await checkAccessibility(page, "catalogus met fouten");
  await context.close();
});
