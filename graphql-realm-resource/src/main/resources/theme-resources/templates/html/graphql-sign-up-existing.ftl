<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("graphqlSignUpExistingBodyHtml", link, linkExpiration, realmName))?no_esc}
</@layout.emailLayout>
