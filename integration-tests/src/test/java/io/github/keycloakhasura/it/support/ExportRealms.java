package io.github.keycloakhasura.it.support;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;

/** The project's realm export ({@code realm-export/app-realm.json}) under another name, to import as a realm of its own. */
public final class ExportRealms {

    private ExportRealms() {
    }

    public static ObjectNode copyNamed(String realm) throws IOException {
        ObjectNode export = (ObjectNode) Http.JSON.readTree(Path.of(System.getProperty("project.root", ".."))
                .resolve("realm-export/app-realm.json").toFile());
        export.put("realm", realm);
        return export;
    }
}
