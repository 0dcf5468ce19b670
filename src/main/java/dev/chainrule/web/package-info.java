/**
 * The chain-rule explorer's web server: the JDK's HTTP server on 127.0.0.1, a random token that
 * every request must carry, Host and Origin checked against DNS rebinding and other sites, JSON
 * answers from the explore package, live training frames as server-sent events, and the page and
 * KaTeX (a WebJar) served from the jar, so that it works offline. Files are read and written only
 * in the model's folder.
 */
package dev.chainrule.web;
