/**
 * The schema's core: schema.graphqls (the root types, the shared types, {@code JSON}, {@code @credential},
 * tokenAuth's declaration; its fetcher is the organization capability's) and {@code Wiring}, its {@code Capability}.
 */
package io.github.keycloakhasura.graphql.fetchers;
