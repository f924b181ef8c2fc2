import { Field, InputType } from 'type-graphql';
import { DocumentType } from '../document/document.entity';

@InputType({ description: 'New number prefix of a document type' })
export class UpdateDocumentJournalInput {
  @Field(() => DocumentType)
  type!: DocumentType;

  @Field({ description: '1 to 10 letters, digits or dashes, e.g. «Д» or «ДОГ-М»' })
  prefix!: string;
}
