import { Field, ObjectType } from 'type-graphql';
import { DocumentVersion } from '../document/document-version.entity';

@ObjectType({ description: 'A placeholder a document template may use' })
export class DocumentTemplatePlaceholder {
  @Field({ description: 'Written in the DOCX in braces: {counterparty.name}' }) name!: string;
  @Field() description!: string;
}

@ObjectType({ description: 'A document version generated from a template: its DOCX and, when LibreOffice is available, its PDF' })
export class GeneratedDocumentVersion {
  @Field(() => DocumentVersion) version!: DocumentVersion;
  @Field(() => [String], { description: 'What did not go as asked, e.g. the PDF step was skipped; empty when all went well' }) warnings!: string[];
}
