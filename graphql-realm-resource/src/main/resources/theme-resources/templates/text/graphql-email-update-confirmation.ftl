<#ftl output_format="plainText">
${msg("graphqlEmailUpdateConfirmationBody", link, linkExpiration, realmName, linkExpirationFormatter(linkExpiration), newEmail, oldEmail)}
