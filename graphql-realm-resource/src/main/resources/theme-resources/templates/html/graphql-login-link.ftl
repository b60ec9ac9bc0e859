<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("graphqlLoginLinkIntroHtml", realmName))?no_esc}
<#if link?has_content>
${kcSanitize(msg("graphqlLoginLinkLinkHtml", link))?no_esc}
</#if>
<#if code?has_content>
${kcSanitize(msg("graphqlLoginLinkCodeHtml", code))?no_esc}
</#if>
${kcSanitize(msg("graphqlLoginLinkOutroHtml", linkExpirationFormatter(linkExpiration)))?no_esc}
</@layout.emailLayout>
